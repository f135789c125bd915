import html as html_lib

from campaigns.landing_text import render_markdown


def test_markdown_formatting_is_rendered_with_french_spacing():
    html = html_lib.unescape(render_markdown("**Avant vendredi** : envoyez *votre* profil.\n\n- un\n- deux"))
    assert "<strong>Avant vendredi</strong>\u00a0: envoyez <em>votre</em> profil." in html
    assert "<ul>" in html and "<li>deux</li>" in html


def test_raw_html_and_scripts_stay_text():
    html = render_markdown('<script>alert(1)</script><b onclick="x()">gras</b> <img src=x onerror=alert(1)>')
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_never_links_and_real_links_get_a_safe_rel():
    html = render_markdown("[piège](javascript:alert(1)) et [ENT](https://ent.example.fr)")
    assert 'href="javascript' not in html
    assert '<a href="https://ent.example.fr" rel="noopener noreferrer nofollow">ENT</a>' in html


def test_an_empty_text_renders_nothing():
    assert render_markdown("") == ""
