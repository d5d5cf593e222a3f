from webinars import services


def test_register_and_view(client, webinar, learner, run_on_commit, mailoutbox):
    with run_on_commit():
        registration = services.do_register(learner, webinar)
    assert registration.is_registered
    assert len(mailoutbox) == 1
    client.force_login(learner)
    response = client.get(webinar.url)
    assert response.status_code == 200
    response = client.get(webinar.get_parent().url)
    assert response.status_code == 200
    response = client.get("/en/webinars/")
    assert response.status_code == 200, response.content[:300]
    response = client.get("/mi-aprendizaje/")
    assert response.status_code == 200
