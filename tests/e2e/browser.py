"""Steps every end-to-end test takes in the browser."""


def login(page, base, username, password="motdepasse-de-test"):
    page.goto(f"{base}/connexion/")
    page.get_by_label("Identifiant ou adresse e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Je me connecte").click()
