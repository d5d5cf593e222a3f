"""Demo texts of the collection in English, French and Portuguese.

Translations of the Spanish originals in ``demo_content`` (data, not interface strings:
they never go through gettext). French addresses the reader as "vous"; Portuguese is
written in the European style.
"""

LANGUAGES = ("en", "fr", "pt")

# The twelve messages page: title and introduction, then each message (title, text)
# in the order of ``demo_content.MESSAGES``; numbers and linked Cuadernos are kept.
MESSAGES_PAGE = {
    "en": {
        "title": "The messages",
        "introduction": "Twelve ideas that the cities, local governments and networks of "
        "AL-LAs learned together about the internationalisation of local governments.",
    },
    "fr": {
        "title": "Les messages",
        "introduction": "Douze idées que les villes, les gouvernements locaux et les réseaux "
        "d’AL-LAs ont apprises ensemble sur l’internationalisation des gouvernements locaux.",
    },
    "pt": {
        "title": "As mensagens",
        "introduction": "Doze ideias que as cidades, os governos locais e as redes do AL-LAs "
        "aprenderam em conjunto sobre a internacionalização dos governos locais.",
    },
}

MESSAGES = {
    "en": [
        ("There is no turning back for local international action",
         "Local governments and their networks are already players on the international "
         "stage. To deliver services, promote their economy or build the city they want, "
         "they need to work with partners in other countries: today the world is a place of "
         "learning and opportunity for every municipality."),
        ("A means to serve the territory, not an end",
         "Every international action should be judged by how much it improves the lives of "
         "the people who live in the territory: more inclusion, more sustainability, more "
         "appeal. Exchanges must leave concrete results that can be checked."),
        ("Review laws and institutions",
         "In many countries the rules do not recognise the external action of local "
         "governments. Updating them brings legal certainty, makes agreements with foreign "
         "partners possible and keeps the policy going when governments change."),
        ("Coordinate with the other levels of government",
         "Internationalisation works better together with national and regional governments, "
         "parliaments and international organisations, through non-hierarchical mechanisms "
         "that respect local autonomy and bring urban issues onto the global agendas."),
        ("From improvisation to a strategic public policy",
         "Isolated actions depend on the goodwill of one authority. A public policy tied to "
         "the territory's planning needs an office, trained staff, a budget, coordination "
         "across departments and an evaluation of its results."),
        ("Build international relations with the people",
         "The local government is not the only protagonist: civil society, universities, "
         "businesses and opinion leaders must take part. Multi-stakeholder dialogue, "
         "transparency and communication with citizens give the strategy legitimacy and "
         "permanence."),
        ("Much more than development cooperation",
         "Decentralised cooperation is only one way of acting abroad. Twinning, city "
         "diplomacy, peace, migration, economic promotion, tourism, culture, talent and "
         "emergency response make up today's local repertoire."),
        ("Cooperate as equals rather than compete",
         "Cities have more to gain by working together than by competing. Sharing experience "
         "and building alliances based on solidarity strengthen local policies, and online "
         "communities multiply that mutual learning."),
        ("Networks give weight to political advocacy",
         "A city on its own, however large, has little say in the global agenda. Building "
         "alliances within networks gathers the critical mass needed to weigh on the "
         "decisions that affect territories, at the United Nations too."),
        ("More attractive, inclusive and sustainable territories",
         "A territory's appeal cannot be bought with a brand: it grows out of its identity "
         "and its model. Nor is sustainability a label; it calls for social and environmental "
         "justice, culture, active citizenship and the right to the city."),
        ("In the service of the territory we dream of",
         "The future is decided in cities. International action is worthwhile if it drives "
         "development that is sustainable, fair, multicultural and equal, and if it opens "
         "opportunities for everyone to live in dignity."),
        ("Latin America: unfinished business",
         "The region is urbanising fast, yet few local governments have a long-term "
         "international strategy. Networks such as Mercociudades, Redcisur and FLACMA, and "
         "the alliance with European cities, above all in Spain and France, offer the tools "
         "to move forward."),
    ],
    "fr": [
        ("L’action internationale locale est irréversible",
         "Les gouvernements locaux et leurs réseaux sont déjà des acteurs de la scène "
         "internationale. Pour fournir des services, promouvoir leur économie ou bâtir le "
         "modèle de ville qu’ils souhaitent, ils doivent nouer des liens avec des acteurs "
         "d’autres pays\u00a0: le monde est aujourd’hui un lieu d’apprentissage et "
         "d’opportunités pour toute commune."),
        ("Un moyen au service du territoire, pas une fin",
         "Toute action internationale se mesure à ce qu’elle améliore dans la vie des "
         "habitants du territoire\u00a0: plus d’inclusion, plus de durabilité, plus "
         "d’attractivité. Les échanges doivent laisser des résultats concrets et vérifiables."),
        ("Revoir les lois et les institutions",
         "Dans beaucoup de pays, les règles ne reconnaissent pas l’action extérieure des "
         "gouvernements locaux. Les mettre à jour apporte une sécurité juridique, permet de "
         "signer des accords avec des partenaires étrangers et protège la continuité de la "
         "politique quand les gouvernements changent."),
        ("Se coordonner avec les autres niveaux de gouvernement",
         "L’internationalisation fonctionne mieux en collaboration avec les gouvernements "
         "nationaux et régionaux, les parlements et les organisations internationales, grâce "
         "à des mécanismes non hiérarchiques qui respectent l’autonomie locale et portent les "
         "questions urbaines dans les agendas mondiaux."),
        ("De l’improvisation à une politique publique stratégique",
         "Les actions isolées dépendent de la volonté d’une seule autorité. Une politique "
         "publique liée à la planification du territoire a besoin d’un service dédié, de "
         "personnel formé, d’un budget, d’une coordination entre directions et d’une "
         "évaluation de ses résultats."),
        ("Construire les relations internationales avec les habitants",
         "Le gouvernement local n’est pas le seul protagoniste\u00a0: la société civile, "
         "le monde universitaire, les entreprises et les leaders d’opinion doivent y prendre "
         "part. Le dialogue multi-acteurs, la transparence et la communication avec les "
         "citoyens donnent à la stratégie sa légitimité et sa durée."),
        ("Bien plus que la coopération au développement",
         "La coopération décentralisée n’est qu’une des façons d’agir à l’étranger. "
         "Jumelages, diplomatie des villes, paix, migrations, promotion économique, tourisme, "
         "culture, talents et réponse aux urgences forment aujourd’hui le répertoire local."),
        ("Coopérer d’égal à égal plutôt que rivaliser",
         "Entre villes, il y a plus à gagner à collaborer qu’à se faire concurrence. "
         "L’échange d’expériences et les alliances solidaires renforcent les politiques "
         "locales, et les communautés en ligne multiplient cet apprentissage mutuel."),
        ("Les réseaux donnent du poids au plaidoyer politique",
         "Une ville seule, si grande soit-elle, pèse peu sur l’agenda mondial. Tisser des "
         "alliances en réseau permet de réunir la masse critique nécessaire pour peser sur "
         "les décisions qui touchent les territoires, y compris aux Nations unies."),
        ("Des territoires plus attractifs, inclusifs et durables",
         "L’attractivité d’un territoire ne s’achète pas avec une marque\u00a0: elle naît "
         "de son identité et de son modèle. La durabilité n’est pas non plus une "
         "étiquette\u00a0; elle exige justice sociale et environnementale, culture, "
         "citoyenneté active et droit à la ville."),
        ("Au service du territoire dont nous rêvons",
         "L’avenir se joue dans les villes. L’action internationale a du sens si elle "
         "favorise un développement durable, juste, multiculturel et égalitaire, et si elle "
         "permet à chacun de vivre dans la dignité."),
        ("Amérique latine\u00a0: un chantier encore ouvert",
         "La région s’urbanise vite, mais peu de gouvernements locaux disposent d’une "
         "stratégie internationale à long terme. Des réseaux comme Mercociudades, Redcisur et "
         "FLACMA, ainsi que l’alliance avec les villes européennes, surtout d’Espagne et de "
         "France, offrent des outils pour avancer."),
    ],
    "pt": [
        ("A ação internacional local não tem volta atrás",
         "Os governos locais e as suas redes já são atores da cena internacional. Para "
         "prestar serviços, promover a sua economia ou construir o modelo de cidade que "
         "desejam, precisam de se relacionar com atores de outros países: o mundo é hoje um "
         "espaço de aprendizagem e de oportunidades para qualquer município."),
        ("Um meio ao serviço do território, não um fim",
         "Toda a ação internacional deve medir-se pelo que melhora na vida de quem habita o "
         "território: mais inclusão, mais sustentabilidade, mais atratividade. Os "
         "intercâmbios têm de deixar resultados concretos e verificáveis."),
        ("Rever as leis e as instituições",
         "Em muitos países, as normas não reconhecem a ação externa dos governos locais. "
         "Atualizá-las dá segurança jurídica, permite assinar acordos com parceiros "
         "estrangeiros e protege a continuidade da política quando os governos mudam."),
        ("Coordenar-se com os outros níveis de governo",
         "A internacionalização funciona melhor em colaboração com os governos nacionais e "
         "regionais, os parlamentos e os organismos internacionais, através de mecanismos não "
         "hierárquicos que respeitem a autonomia local e levem os temas urbanos às agendas "
         "globais."),
        ("Da improvisação a uma política pública estratégica",
         "As ações isoladas dependem da vontade de uma autoridade. Uma política pública ligada "
         "ao planeamento do território precisa de um gabinete, pessoal qualificado, "
         "orçamento, coordenação entre serviços e avaliação de resultados."),
        ("Construir as relações internacionais com as pessoas",
         "O governo local não é o único protagonista: a sociedade civil, a academia, as "
         "empresas e os líderes de opinião devem participar. O diálogo multiator, a "
         "transparência e a comunicação com os cidadãos dão legitimidade e permanência à "
         "estratégia."),
        ("Muito mais do que cooperação para o desenvolvimento",
         "A cooperação descentralizada é apenas uma das formas de atuar no exterior. "
         "Geminações, diplomacia das cidades, paz, migrações, promoção económica, turismo, "
         "cultura, talento e resposta a emergências formam hoje o repertório local."),
        ("Cooperar em pé de igualdade em vez de competir",
         "Entre cidades há mais a ganhar com a colaboração do que com a concorrência. A troca "
         "de experiências e as alianças solidárias reforçam as políticas locais, e as "
         "comunidades virtuais multiplicam essa aprendizagem mútua."),
        ("As redes dão força à incidência política",
         "Uma cidade sozinha, por maior que seja, pouco pesa na agenda global. Tecer alianças "
         "em rede permite reunir a massa crítica necessária para influenciar as decisões que "
         "afetam os territórios, também junto das Nações Unidas."),
        ("Territórios mais atrativos, inclusivos e sustentáveis",
         "A atratividade de um território não se compra com uma marca: nasce da sua "
         "identidade e do seu modelo. A sustentabilidade também não é um rótulo; exige "
         "justiça social e ambiental, cultura, cidadania ativa e o direito à cidade."),
        ("Ao serviço do território com que sonhamos",
         "O futuro decide-se nas cidades. A ação internacional vale a pena se impulsionar um "
         "desenvolvimento sustentável, justo, multicultural e igualitário, e se abrir "
         "oportunidades para que todas as pessoas vivam com dignidade."),
        ("América Latina: uma tarefa por cumprir",
         "A região urbaniza-se depressa, mas poucos governos locais têm uma estratégia "
         "internacional de longo prazo. Redes como Mercocidades, Redcisur e FLACMA, e a "
         "aliança com cidades europeias, sobretudo de Espanha e de França, oferecem "
         "ferramentas para avançar."),
    ],
}

# "Sobre AL-LAs" (a StandardPage), built by ``demo.about_body``.
ABOUT = {
    "en": {
        "title": "About AL-LAs",
        "introduction": "A Euro-Latin American alliance of cities for the "
        "internationalisation of local governments.",
        "origin": "AL-LAs began in Mexico City, with the support of the European Union, so "
        "that cities, local governments and networks from both continents could learn "
        "together how to act in the world.",
        "heading": "What we do",
        "activities": [
            "Learning workshops and distance training",
            "The Cuadernos collection, articles and eBooks",
            "Webinars and the Café con AL-LAs debates",
            "Multi-stakeholder consultations and advocacy campaigns",
        ],
    },
    "fr": {
        "title": "À propos d’AL-LAs",
        "introduction": "Une alliance euro-latino-américaine de villes pour "
        "l’internationalisation des gouvernements locaux.",
        "origin": "AL-LAs est née à Mexico, avec le soutien de l’Union européenne, pour que "
        "les villes, les gouvernements locaux et les réseaux des deux continents apprennent "
        "ensemble à agir dans le monde.",
        "heading": "Ce que nous faisons",
        "activities": [
            "Des ateliers d’apprentissage et des formations à distance",
            "La collection des Cahiers, des articles et des eBooks",
            "Des webinaires et les débats du Café con AL-LAs",
            "Des consultations multi-acteurs et des campagnes de plaidoyer",
        ],
    },
    "pt": {
        "title": "Sobre o AL-LAs",
        "introduction": "Uma aliança euro-latino-americana de cidades para a "
        "internacionalização dos governos locais.",
        "origin": "O AL-LAs nasceu na Cidade do México, com o apoio da União Europeia, para "
        "que cidades, governos locais e redes dos dois continentes aprendessem juntos a "
        "atuar no mundo.",
        "heading": "O que fazemos",
        "activities": [
            "Oficinas de aprendizagem e formação à distância",
            "A Coleção de Cadernos, artigos e eBooks",
            "Webinars e os debates do Café con AL-LAs",
            "Consultas multiator e campanhas de incidência política",
        ],
    },
}

# Topics by slug: language -> (name, description).
TOPICS = {
    "diplomacia-de-ciudades": {
        "en": ("City diplomacy",
               "How local governments speak to the world and stand up for their interests."),
        "fr": ("Diplomatie des villes",
               "Comment les gouvernements locaux dialoguent avec le monde et défendent leurs "
               "intérêts."),
        "pt": ("Diplomacia das cidades",
               "Como os governos locais dialogam com o mundo e defendem os seus interesses."),
    },
    "cooperacion-descentralizada": {
        "en": ("Decentralised cooperation",
               "Projects and partnerships from one local government to another."),
        "fr": ("Coopération décentralisée",
               "Des projets et des partenariats de gouvernement local à gouvernement local."),
        "pt": ("Cooperação descentralizada",
               "Projetos e parcerias de governo local para governo local."),
    },
    "redes-de-ciudades": {
        "en": ("City networks", "Working in networks to learn, influence and join forces."),
        "fr": ("Réseaux de villes",
               "Travailler en réseau pour apprendre, peser et unir ses forces."),
        "pt": ("Redes de cidades", "Trabalhar em rede para aprender, influenciar e somar forças."),
    },
    "marco-juridico": {
        "en": ("Legal framework",
               "Laws and institutions that give local external action a secure footing."),
        "fr": ("Cadre juridique",
               "Les lois et les institutions qui sécurisent l’action extérieure locale."),
        "pt": ("Quadro jurídico", "Leis e instituições que dão segurança à ação externa local."),
    },
    "planificacion-estrategica": {
        "en": ("Strategic planning",
               "From improvisation to a public policy with goals and evaluation."),
        "fr": ("Planification stratégique",
               "Passer de l’improvisation à une politique publique avec des objectifs et une "
               "évaluation."),
        "pt": ("Planeamento estratégico",
               "Passar da improvisação a uma política pública com objetivos e avaliação."),
    },
    "participacion-ciudadana": {
        "en": ("Citizen participation",
               "Building the international agenda with civil society, universities and "
               "businesses."),
        "fr": ("Participation citoyenne",
               "Construire l’agenda international avec la société civile, le monde "
               "universitaire et les entreprises."),
        "pt": ("Participação cidadã",
               "Construir a agenda internacional com a sociedade civil, a academia e as "
               "empresas."),
    },
    "agendas-globales": {
        "en": ("Global agendas",
               "Local governments at the United Nations, Habitat III and the global goals."),
        "fr": ("Agendas mondiaux",
               "Les gouvernements locaux face aux Nations unies, à Habitat III et aux "
               "objectifs mondiaux."),
        "pt": ("Agendas globais",
               "Os governos locais perante as Nações Unidas, o Habitat III e os objetivos "
               "globais."),
    },
    "atractividad-territorial": {
        "en": ("Territorial attractiveness",
               "Tourism, investment, culture and talent, beyond marketing."),
        "fr": ("Attractivité territoriale",
               "Tourisme, investissement, culture et talents, au-delà du marketing."),
        "pt": ("Atratividade territorial",
               "Turismo, investimento, cultura e talento, para lá do marketing."),
    },
    "sustentabilidad-urbana": {
        "en": ("Urban sustainability", "More inclusive, fair and sustainable cities."),
        "fr": ("Durabilité urbaine", "Des villes plus inclusives, justes et durables."),
        "pt": ("Sustentabilidade urbana", "Cidades mais inclusivas, justas e sustentáveis."),
    },
    "migracion-y-paz": {
        "en": ("Migration and peace",
               "Local policies in the face of human mobility, conflicts and emergencies."),
        "fr": ("Migrations et paix",
               "Les politiques locales face à la mobilité humaine, aux conflits et aux "
               "urgences."),
        "pt": ("Migração e paz",
               "Políticas locais perante a mobilidade humana, os conflitos e as emergências."),
    },
}

# Partners by slug: language -> the fields that change ("description", and "name" and
# "city" where the place has a name of its own in that language).
PARTNERS = {
    "mercociudades": {
        "en": {"description": "Network of local governments in the Mercosur countries that "
               "drives regional integration from the cities."},
        "fr": {"description": "Réseau de gouvernements locaux des pays du Mercosur qui fait "
               "avancer l’intégration régionale à partir des villes."},
        "pt": {"name": "Mercocidades",
               "description": "Rede de governos locais dos países do Mercosul que promove a "
               "integração regional a partir das cidades."},
    },
    "redcisur": {
        "en": {"description": "Network of professionals in decentralised international "
               "cooperation in the Southern Cone."},
        "fr": {"description": "Réseau de professionnels de la coopération internationale "
               "décentralisée dans le Cône Sud."},
        "pt": {"description": "Rede de profissionais da cooperação internacional "
               "descentralizada no Cone Sul."},
    },
    "flacma": {
        "en": {"description": "Latin American federation that brings together cities, "
               "municipalities and associations of local governments."},
        "fr": {"description": "Fédération latino-américaine qui rassemble des villes, des "
               "communes et des associations de gouvernements locaux."},
        "pt": {"description": "Federação latino-americana que reúne cidades, municípios e "
               "associações de governos locais."},
    },
    "ciudad-de-mexico": {
        "en": {"name": "Mexico City", "city": "Mexico City",
               "description": "Coordinates the AL-LAs project; its constitution recognises "
               "the capital as a global city."},
        "fr": {"name": "Mexico", "city": "Mexico",
               "description": "Coordonne le projet AL-LAs\u00a0; sa constitution reconnaît "
               "la capitale comme ville globale."},
        "pt": {"name": "Cidade do México", "city": "Cidade do México",
               "description": "Coordena o projeto AL-LAs; a sua constituição reconhece a "
               "capital como cidade global."},
    },
    "medellin": {
        "en": {"description": "A Latin American benchmark for international cooperation "
               "and investment."},
        "fr": {"description": "Ville de référence en Amérique latine pour la coopération et "
               "l’investissement internationaux."},
        "pt": {"description": "Cidade de referência na América Latina em cooperação e "
               "investimento internacional."},
    },
    "montevideo": {
        "en": {"description": "A capital with a long record in regional city networks."},
        "fr": {"description": "Capitale forte d’une longue expérience des réseaux régionaux "
               "de villes."},
        "pt": {"description": "Capital com um longo percurso nas redes regionais de "
               "cidades."},
    },
    "quito": {
        "en": {"description": "Host of the Habitat III conference on housing and "
               "sustainable urban development."},
        "fr": {"description": "Ville hôte de la conférence Habitat III sur le logement et le "
               "développement urbain durable."},
        "pt": {"description": "Cidade anfitriã da conferência Habitat III sobre habitação e "
               "desenvolvimento urbano sustentável."},
    },
    "belo-horizonte": {
        "en": {"description": "Brazilian municipality active in citizen participation and "
               "South-South cooperation."},
        "fr": {"description": "Commune brésilienne engagée dans la participation citoyenne "
               "et la coopération Sud-Sud."},
        "pt": {"description": "Município brasileiro ativo na participação cidadã e na "
               "cooperação Sul-Sul."},
    },
    "lyon": {
        "en": {"description": "French metropolis with a policy of cooperation with Latin "
               "American cities."},
        "fr": {"description": "Métropole française qui mène une politique de coopération "
               "avec des villes latino-américaines."},
        "pt": {"description": "Metrópole francesa com uma política de cooperação com "
               "cidades latino-americanas."},
    },
    "barcelona": {
        "en": {"description": "European city committed to urban diplomacy and peace "
               "policies."},
        "fr": {"description": "Ville européenne engagée dans la diplomatie urbaine et les "
               "politiques de paix."},
        "pt": {"description": "Cidade europeia empenhada na diplomacia urbana e nas "
               "políticas de paz."},
    },
    "paris": {
        "en": {"name": "Paris", "city": "Paris",
               "description": "European capital that supports networks of mayors on the "
               "climate agendas."},
        "fr": {"name": "Paris", "city": "Paris",
               "description": "Capitale européenne qui accompagne des réseaux de maires sur "
               "les agendas climatiques."},
        "pt": {"name": "Paris", "city": "Paris",
               "description": "Capital europeia que acompanha redes de autarcas nas agendas "
               "climáticas."},
    },
}
