"""Demo texts of the collection, written in our own words from the seed documents."""

TOPICS = [
    # slug, name, description, featured (translations: demo_translations.TOPICS)
    ("diplomacia-de-ciudades", "Diplomacia de ciudades",
     "Cómo los gobiernos locales hablan con el mundo y defienden sus intereses.", True),
    ("cooperacion-descentralizada", "Cooperación descentralizada",
     "Proyectos y alianzas de gobierno local a gobierno local.", True),
    ("redes-de-ciudades", "Redes de ciudades",
     "Trabajar en red para aprender, incidir y sumar fuerzas.", True),
    ("marco-juridico", "Marco jurídico",
     "Leyes e instituciones que dan seguridad a la acción exterior local.", False),
    ("planificacion-estrategica", "Planificación estratégica",
     "Pasar de la improvisación a una política pública con objetivos y evaluación.", True),
    ("participacion-ciudadana", "Participación ciudadana",
     "Construir la agenda internacional con la sociedad civil, la academia y las empresas.",
     False),
    ("agendas-globales", "Agendas globales",
     "Los gobiernos locales ante Naciones Unidas, Hábitat III y los objetivos globales.", True),
    ("atractividad-territorial", "Atractividad territorial",
     "Turismo, inversión, cultura y talento, más allá del marketing.", False),
    ("sustentabilidad-urbana", "Sustentabilidad urbana",
     "Ciudades más incluyentes, justas y sustentables.", False),
    ("migracion-y-paz", "Migración y paz",
     "Políticas locales ante la movilidad humana, los conflictos y las emergencias.", False),
]

PARTNERS = [
    # slug, name, type, country, city, website, description, topic slugs
    ("mercociudades", "Mercociudades", "network", "UY", "Montevideo", "https://mercociudades.org",
     "Red de gobiernos locales de los países del Mercosur que impulsa la integración "
     "regional desde las ciudades.", ["redes-de-ciudades", "agendas-globales"]),
    ("redcisur", "Redcisur", "network", "AR", "Buenos Aires", "",
     "Red de profesionales de la cooperación internacional descentralizada en el Cono Sur.",
     ["cooperacion-descentralizada", "redes-de-ciudades"]),
    ("flacma", "FLACMA", "network", "EC", "Quito", "",
     "Federación latinoamericana que agrupa a ciudades, municipios y asociaciones de "
     "gobiernos locales.", ["redes-de-ciudades", "marco-juridico"]),
    ("ciudad-de-mexico", "Ciudad de México", "local_government", "MX", "Ciudad de México",
     "https://www.cdmx.gob.mx",
     "Coordina el proyecto AL-LAs; su constitución reconoce a la capital como ciudad global.",
     ["diplomacia-de-ciudades", "planificacion-estrategica"]),
    ("medellin", "Medellín", "city", "CO", "Medellín", "",
     "Ciudad referente en cooperación e inversión internacional en América Latina.",
     ["atractividad-territorial", "cooperacion-descentralizada"]),
    ("montevideo", "Montevideo", "city", "UY", "Montevideo", "",
     "Capital con una larga trayectoria en redes regionales de ciudades.",
     ["redes-de-ciudades", "participacion-ciudadana"]),
    ("quito", "Quito", "city", "EC", "Quito", "",
     "Sede de la Conferencia Hábitat III sobre vivienda y desarrollo urbano sostenible.",
     ["agendas-globales", "sustentabilidad-urbana"]),
    ("belo-horizonte", "Belo Horizonte", "city", "BR", "Belo Horizonte", "",
     "Municipio brasileño activo en la participación ciudadana y la cooperación sur-sur.",
     ["participacion-ciudadana"]),
    ("lyon", "Lyon", "city", "FR", "Lyon", "",
     "Metrópoli francesa con una política de cooperación con ciudades latinoamericanas.",
     ["cooperacion-descentralizada", "diplomacia-de-ciudades"]),
    ("barcelona", "Barcelona", "city", "ES", "Barcelona", "",
     "Ciudad europea comprometida con la diplomacia urbana y las políticas de paz.",
     ["migracion-y-paz", "diplomacia-de-ciudades"]),
    ("paris", "París", "city", "FR", "París", "",
     "Capital europea que acompaña redes de alcaldes en las agendas climáticas.",
     ["sustentabilidad-urbana", "agendas-globales"]),
]

MESSAGES_PAGE = {
    "title": "Los mensajes",
    "introduction": "Doce ideas que las ciudades, gobiernos locales y redes de AL-LAs "
    "aprendieron juntos sobre la internacionalización de los gobiernos locales.",
}

ABOUT = {
    "title": "Sobre AL-LAs",
    "introduction": "Una alianza euro-latinoamericana de ciudades para la "
    "internacionalización de los gobiernos locales.",
    "origin": "AL-LAs nació en la Ciudad de México, con el apoyo de la Unión Europea, para "
    "que ciudades, gobiernos locales y redes de ambos continentes aprendieran juntos a actuar "
    "en el mundo.",
    "heading": "Qué hacemos",
    "activities": [
        "Talleres de aprendizaje y formación a distancia",
        "La Colección de Cuadernos, artículos y eBooks",
        "Webinars y los debates del Café con AL-LAs",
        "Consultas multiactor y campañas de incidencia",
    ],
}

MESSAGES = [
    ("La acción internacional local no tiene marcha atrás",
     "Los gobiernos locales y sus redes ya son actores del escenario internacional. Para "
     "prestar servicios, promover su economía o construir el modelo de ciudad que quieren, "
     "necesitan relacionarse con actores de otros países: el mundo es hoy un espacio de "
     "aprendizaje y de oportunidades para cualquier municipio."),
    ("Un medio al servicio del territorio, no un fin",
     "Toda acción internacional debe medirse por lo que mejora la vida de quienes habitan el "
     "territorio: más inclusión, más sustentabilidad, más atractivo. Los intercambios tienen "
     "que dejar resultados concretos y verificables."),
    ("Revisar las leyes e instituciones",
     "En muchos países las normas no reconocen la acción exterior de los gobiernos locales. "
     "Actualizarlas da seguridad jurídica, permite firmar acuerdos con socios extranjeros y "
     "protege la continuidad de la política cuando cambian los gobiernos."),
    ("Coordinarse con los demás órdenes de gobierno",
     "La internacionalización funciona mejor en colaboración con los gobiernos nacionales y "
     "regionales, los parlamentos y los organismos internacionales, mediante mecanismos no "
     "jerárquicos que respeten la autonomía local y lleven los temas urbanos a las agendas "
     "globales."),
    ("De la improvisación a una política pública estratégica",
     "Las acciones aisladas dependen de la voluntad de una autoridad. Una política pública "
     "ligada a la planificación del territorio necesita oficinas, personal formado, "
     "presupuesto, coordinación entre áreas y evaluación de resultados."),
    ("Construir las relaciones internacionales con la gente",
     "El gobierno local no es el único protagonista: sociedad civil, academia, empresas y "
     "líderes de opinión deben participar. Espacios de diálogo multiactor, transparencia y "
     "comunicación con la ciudadanía dan legitimidad y permanencia a la estrategia."),
    ("Mucho más que cooperación al desarrollo",
     "La cooperación descentralizada es solo una de las formas de actuar en el exterior. "
     "Hermanamientos, diplomacia de ciudades, paz, migración, promoción económica, turismo, "
     "cultura, talento y respuesta a emergencias forman hoy el repertorio local."),
    ("Cooperar en horizontal antes que competir",
     "Entre ciudades hay más que ganar colaborando que compitiendo. El intercambio de "
     "experiencias y las alianzas solidarias fortalecen las políticas locales, y el trabajo en "
     "comunidades virtuales multiplica ese aprendizaje mutuo."),
    ("Las redes dan fuerza a la incidencia política",
     "Una ciudad sola, por grande que sea, influye poco en la agenda global. Tejer alianzas en "
     "redes permite reunir la masa crítica necesaria para pesar en las decisiones que afectan "
     "a los territorios, también ante Naciones Unidas."),
    ("Territorios más atractivos, incluyentes y sustentables",
     "El atractivo de un territorio no se compra con una marca: nace de su identidad y de su "
     "modelo. La sustentabilidad tampoco es una etiqueta; exige justicia social y ambiental, "
     "cultura, ciudadanía activa y el derecho a la ciudad."),
    ("Al servicio del territorio que soñamos",
     "El futuro se decide en las ciudades. La acción internacional sirve si impulsa un "
     "desarrollo sostenible, justo, multicultural e igualitario, y si abre oportunidades para "
     "que todas las personas vivan con dignidad."),
    ("América Latina: una tarea pendiente",
     "La región se urbaniza deprisa, pero pocos gobiernos locales tienen una estrategia "
     "internacional de largo plazo. Las redes como Mercociudades, Redcisur y FLACMA, y la "
     "alianza con ciudades europeas, sobre todo de España y Francia, ofrecen herramientas "
     "para avanzar."),
]

PUBLICATIONS = [
    # slug, type, number, title, subtitle, year-month-day, authors, topics, partners, abstract
    {
        "slug": "la-accion-internacional-como-politica-publica",
        "type": "cuaderno", "number": 1,
        "title": "La acción internacional como política pública",
        "subtitle": "Guía para pasar de la improvisación a la estrategia",
        "date": "2024-03-15",
        "authors": ["experta@allas.local", "Equipo técnico AL-LAs"],
        "topics": ["planificacion-estrategica", "diplomacia-de-ciudades"],
        "partners": ["ciudad-de-mexico", "medellin"],
        "abstract": "Un recorrido práctico para que un gobierno local convierta sus "
        "actividades internacionales dispersas en una política pública con objetivos, "
        "recursos, coordinación interna y evaluación.",
        "isbn": "978-607-00-0001-1",
        "translations": {
            "en": {
                "title": "International action as public policy",
                "subtitle": "A guide from improvisation to strategy",
                "abstract": "A practical path for a local government to turn scattered "
                "international activities into a public policy with goals, resources, "
                "internal coordination and evaluation.",
            },
        },
    },
    {
        "slug": "el-marco-juridico-de-la-accion-exterior-local",
        "type": "cuaderno", "number": 2,
        "title": "El marco jurídico de la acción exterior local",
        "subtitle": "Lo que dicen las leyes y lo que deberían decir",
        "date": "2024-06-20",
        "authors": ["Andrea Villalobos", "Pablo Giménez"],
        "topics": ["marco-juridico"],
        "partners": ["flacma", "redcisur"],
        "abstract": "Compara los marcos legales de varios países latinoamericanos y europeos "
        "y propone reformas para dar seguridad jurídica a los convenios entre ciudades.",
    },
    {
        "slug": "ciudades-en-red",
        "type": "cuaderno", "number": 3,
        "title": "Ciudades en red",
        "subtitle": "Incidencia política desde lo local",
        "date": "2025-02-10",
        "authors": ["experto@allas.local"],
        "topics": ["redes-de-ciudades", "agendas-globales"],
        "partners": ["mercociudades", "lyon"],
        "abstract": "Por qué una ciudad sola pesa poco en la agenda global y cómo las redes "
        "reúnen la masa crítica necesaria para influir.",
    },
    {
        "slug": "internacionalizacion-con-la-ciudadania",
        "type": "cuaderno", "number": 4,
        "title": "Internacionalización con la ciudadanía",
        "subtitle": "Consultas multiactor y rendición de cuentas",
        "date": "2025-09-05",
        "authors": ["María José Acosta"],
        "topics": ["participacion-ciudadana"],
        "partners": ["belo-horizonte", "montevideo"],
        "abstract": "Herramientas para abrir la estrategia internacional a la sociedad civil, "
        "la academia y el sector privado, y para comunicar sus beneficios.",
    },
    {
        "slug": "mas-alla-del-marketing-urbano",
        "type": "article", "number": None,
        "title": "Más allá del marketing urbano",
        "subtitle": "La atractividad que nace de la identidad",
        "date": "2025-04-22",
        "authors": ["experta@allas.local"],
        "topics": ["atractividad-territorial", "sustentabilidad-urbana"],
        "partners": ["medellin", "barcelona"],
        "abstract": "Un territorio atrae por su modelo de ciudad y su identidad colectiva, no "
        "por un eslogan. Ejemplos de ambos lados del Atlántico.",
        "translations": {
            "en": {
                "title": "Beyond city marketing",
                "subtitle": "Attractiveness that grows from identity",
                "abstract": "A place attracts through its model of city and its shared "
                "identity, not through a slogan. Examples from both sides of the Atlantic.",
            },
        },
    },
    {
        "slug": "ciudades-ante-la-movilidad-humana",
        "type": "article", "number": None,
        "title": "Ciudades ante la movilidad humana",
        "subtitle": "",
        "date": "2023-11-30",
        "authors": ["Jean-Baptiste Moreau", "Lucía Herrera"],
        "topics": ["migracion-y-paz"],
        "partners": ["barcelona", "paris"],
        "abstract": "Cómo los gobiernos locales responden a la migración y a las emergencias "
        "con políticas propias y cooperación entre ciudades.",
        "language": "fr",
    },
    {
        "slug": "manual-de-cooperacion-descentralizada",
        "type": "ebook", "number": None,
        "title": "Manual de cooperación descentralizada",
        "subtitle": "De los hermanamientos a los proyectos conjuntos",
        "date": "2024-10-01",
        "authors": ["Equipo técnico AL-LAs"],
        "topics": ["cooperacion-descentralizada", "redes-de-ciudades"],
        "partners": ["lyon", "quito", "mercociudades"],
        "abstract": "Un eBook con fichas prácticas para diseñar, financiar y evaluar proyectos "
        "de cooperación entre gobiernos locales.",
        "isbn": "978-607-00-0002-8",
    },
    {
        "slug": "relatoria-habitat-iii-y-las-ciudades",
        "type": "relatoria", "number": None,
        "title": "Relatoría: Hábitat III y las ciudades latinoamericanas",
        "subtitle": "Síntesis de un debate del Café con AL-LAs",
        "date": "2025-11-12",
        "authors": ["moderador@allas.local"],
        "topics": ["agendas-globales", "sustentabilidad-urbana"],
        "partners": ["quito", "flacma"],
        "abstract": "Lo que la comunidad experta discutió sobre la oportunidad de Hábitat III "
        "para la internacionalización de las ciudades de la región.",
    },
]
