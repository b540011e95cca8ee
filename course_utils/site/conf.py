"""Sphinx configuration of the course site (``make html``; ``course_utils.course_site`` stages the sources).

MyST-NB renders the notebooks with their stored outputs (nothing is executed) and the book theme gives
the sidebar, previous/next links, search, light and dark themes and a layout that fits a phone.
"""

import re

project = "Recurrent Neural Networks with PyTorch"
author = "the course's authors"
html_title = "RNNs with PyTorch"
# The theme starts in the reader's own light or dark mode; the switch in the header changes it.
html_context = {"default_mode": "auto"}

extensions = ["myst_nb", "sphinx.ext.mathjax"]
root_doc = "README"
# index.html, the page a reader opens first, leads to the home page.
templates_path = ["_templates"]
html_additional_pages = {"index": "redirect.html"}
# The English site; the builder builds the Korean one into ko/ with course_language, language, root_doc and
# html_title set on its command line (-D), and each page links to its counterpart in the other language.
course_language = "en"
# The staged folder holds only what the site shows; the notebooks' folder has no other source files.
exclude_patterns = ["_build", "_templates"]

# Notebooks are shown as they were run and tested: never executed here.
nb_execution_mode = "off"
# $…$ and $$…$$ are formulas; an escaped \$ stays a dollar sign.
myst_enable_extensions = ["dollarmath"]
# Headings get anchors, so that a link such as README's #using-a-gpu leads somewhere.
myst_heading_anchors = 3

# MathJax 3 from a local copy (the builder copies it into _static/mathjax), with SVG output: its glyphs are
# drawn from the script itself, so no web font has to load, which browsers refuse on file:// pages.
mathjax_path = "mathjax/tex-svg.js"

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_theme_options = {
    "show_navbar_depth": 1,
    "show_toc_level": 2,            # the page's headings, to jump to, in the right-hand column
    "use_download_button": False,   # the notebooks are in the repository; a download needs no button
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "navigation_with_keys": True,
}
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
# No fonts, scripts or images from the network: the site must read offline.
html_theme_options["icon_links"] = []


_SWITCH = {"en": ("ko", "한국어"), "ko": ("en", "English")}
# A lab's or a solution's page in either site: notebooks/04_time_series, notebooks/ko/solutions/04_….
_NOTEBOOK_PAGE = re.compile(r"notebooks/(?:ko/)?((?:solutions/)?\d\d_\w+)")


def _counterpart(pagename: str, language: str) -> str:
    """The same notebook's page in the other language's site, relative to its root; else that site's home.

    Only the notebooks exist in both languages: the glossary, search and index pages lead home.
    """
    page = _NOTEBOOK_PAGE.fullmatch(pagename)
    if language == "en":
        return f"notebooks/ko/{page.group(1)}" if page else "README.ko"
    return f"notebooks/{page.group(1)}" if page else "README"


def _add_language_switch(app, pagename, templatename, context, doctree):  # noqa: ANN001, ANN202 (Sphinx's)
    """Put a link to the same page in the other language at the top of every page."""
    if "body" not in context:
        return
    language = app.config.course_language
    other, label = _SWITCH[language]
    up = "../" * pagename.count("/")
    # The Korean site is the ko/ folder inside the English one.
    url = f"{up}ko/{_counterpart(pagename, language)}.html" if language == "en" else (
        f"{up}../{_counterpart(pagename, language)}.html")
    switch = f'<p class="language-switch"><a href="{url}" hreflang="{other}" lang="{other}">{label}</a></p>'
    context["body"] = switch + context["body"]


def setup(app):  # noqa: ANN001, ANN201 (Sphinx's hook)
    """Register the site's language and the language switch."""
    app.add_config_value("course_language", "en", "html")
    app.connect("html-page-context", _add_language_switch)
