"""Sphinx configuration of the course site (``make html``; ``course_utils.course_site`` stages the sources).

MyST-NB renders the notebooks with their stored outputs (nothing is executed) and the book theme gives
the sidebar, previous/next links, search, light and dark themes and a layout that fits a phone.
"""

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
