"""A saved magazine web page made from a source's model: the article inside a site's chrome.

    python tests/import_html_page.py > tests/import/sean-baker-anora.html

The article is the canonical source's text as a magazine's site prints it (an
`<h1>` "Title: Subtitle", an editor's note, the introduction, `<strong>Label:</strong>`
turns, film titles in `<em>`), with a photograph, a link and a pull quote in it; around
it the site's navigation, share buttons, a newsletter box, related posts and comments
that name films in italics, none of which may be imported.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pressroom.core import model as m  # noqa: E402

CHROME_TOP = """\
<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>{title} | Filmmaker Magazine</title>
<meta property="og:title" content="{title}">
<link rel="stylesheet" href="https://filmmakermagazine.example/wp-content/themes/fm/style.css">
<script src="https://cdn.example.com/analytics.js"></script>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "interview"}});</script>
<style>.share a {{ color: red; }}</style>
</head>
<body class="post-template-default single">
<header class="site-header">
  <a class="logo" href="/"><img src="/logo.png" alt="Filmmaker Magazine"></a>
  <nav class="main-nav" aria-label="Main">
    <ul>
      <li><a href="/category/news/">News</a></li>
      <li><a href="/category/columns/">Columns</a></li>
      <li><a href="/category/interviews/">Interviews</a></li>
      <li><a href="/category/festivals/">Festivals</a></li>
      <li><a href="/subscribe/">Subscribe to the Print Magazine</a></li>
    </ul>
  </nav>
</header>
<main id="content">
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/category/interviews/">Interviews</a></div>
<article class="post type-post format-standard">
<header class="entry-header">
<h1 class="entry-title">{headline}</h1>
<div class="byline">by <a href="/author/gmc/" rel="author">Giovanni Marchini Camia</a> in <a href="/category/directors/">Directors</a>, <a href="/category/interviews/">Interviews</a> <time datetime="2025-03-03">on Mar 3, 2025</time></div>
<div class="share-buttons">
  <a class="share facebook" href="https://www.facebook.com/sharer.php?u=x">Share on Facebook</a>
  <a class="share twitter" href="https://twitter.com/intent/tweet?text=x">Share on X</a>
  <a class="share email" href="mailto:?subject=x">Email</a>
</div>
</header>
<div class="entry-content">
"""

CHROME_BOTTOM = """\
</div>
<footer class="entry-footer"><span class="tags">Tags: <a href="/tag/anora/">Anora</a>, <a href="/tag/sean-baker/">Sean Baker</a></span></footer>
</article>
<aside class="newsletter-signup">
  <h3>Get the Filmmaker newsletter</h3>
  <p>The week in independent film, from <em>Tangerine</em> to <em>Prince of Broadway</em>, in your inbox every Friday.</p>
  <form action="https://filmmakermagazine.example/subscribe"><input type="email" name="email"><button>Sign up</button></form>
</aside>
<section class="related-posts">
  <h2>Related Posts</h2>
  <ul>
    <li><a href="/2017/10/the-florida-project/"><img src="/thumbs/tfp.jpg" alt=""> Moonee’s Kingdom: Sean Baker on <em>The Florida Project</em></a></li>
    <li><a href="/2021/12/red-rocket/">Suitcase Pimp: Sean Baker on <em>Red Rocket</em></a></li>
    <li><a href="/2012/04/starlet/">Sean Baker’s <em>Starlet</em> and the San Fernando Valley</a></li>
    <li><a href="/2024/05/cannes/">Cannes 2024: <em>Anora</em>, <em>Take Out</em> and the Palme</a></li>
  </ul>
</section>
<section id="comments" class="comments-area">
  <h2 class="comments-title">3 thoughts on “{title}”</h2>
  <ol class="comment-list">
    <li class="comment"><div class="comment-author">cinephile42</div><p>Saw <em>Tangerine</em> on an iPhone screen and have followed him since. <em>Greasy Strangler</em> fans assemble.</p></li>
    <li class="comment"><div class="comment-author">mk</div><p>Still think <em>Four Letter Words</em> is underrated. <a href="https://spam.example/">cheap pills</a></p></li>
    <li class="comment"><div class="comment-author">Reader</div><p>Baker: the best working today. Filmmaker: please interview him again!</p></li>
  </ol>
  <div id="respond"><h3>Leave a Reply</h3><form><textarea name="comment"></textarea></form></div>
</section>
</main>
<footer class="site-footer">
  <nav><a href="/about/">About</a> · <a href="/advertise/">Advertise</a> · <a href="/privacy/">Privacy</a></nav>
  <p>© 2025 Filmmaker Magazine. All rights reserved.</p>
</footer>
<iframe src="https://ads.example.com/frame" width="300" height="250"></iframe>
<script>(function(){{ var s = document.createElement("script"); s.src = "https://tracker.example/t.js"; }})();</script>
</body>
</html>
"""


def inlines(nodes: tuple[m.Inline, ...]) -> str:
    """Inlines as a magazine's HTML: films (and any emphasis) in <em>, people as plain words."""
    out = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(escape(node.text, quote=False))
        elif isinstance(node, m.Mention):
            words = inlines(node.children)
            out.append(f"<em>{words}</em>" if node.kind is m.MentionKind.FILM else words)
        elif isinstance(node, m.Emph):
            out.append(f"<i>{inlines(node.children)}</i>")
        elif isinstance(node, m.Strong):
            out.append(f"<b>{inlines(node.children)}</b>")
        else:
            raise TypeError(f"no HTML for {type(node).__name__} in this page")
    return "".join(out)


def page(doc: m.Document) -> str:
    """The saved page of `doc`'s interview."""
    title = escape(m.plain_text(doc.front.title), quote=True)
    headline = f"{inlines(doc.front.title)}: {inlines(doc.front.subtitle)}"
    body = []
    for para in doc.headnote:
        body.append(f'<p class="editors-note"><strong>Editor’s note:</strong> {inlines(para.children)}</p>')
    for number, para in enumerate(doc.introduction):
        text = inlines(para.children)
        if number == 0:  # a link and a photograph in the article: dropped and reported
            text = text.replace("Take That", '<a href="https://en.wikipedia.org/wiki/Take_That">Take That</a>', 1)
            body.append('<figure class="wp-caption"><img src="https://filmmakermagazine.example/anora-still.jpg" '
                        'alt="Mikey Madison in Anora"><figcaption>Mikey Madison in <em>Anora</em> '
                        '(photo: Neon)</figcaption></figure>')
        body.append(f"<p>{text}</p>")
    for number, turn in enumerate(doc.interview):
        assert isinstance(turn, m.Turn)
        for i, para in enumerate(turn.blocks):
            assert isinstance(para, m.Para)
            label = f"<strong>{escape(turn.speaker.label)}:</strong> " if i == 0 else ""
            body.append(f"<p>{label}{inlines(para.children)}</p>")
        if number == 6:  # a video the site embeds mid-article
            body.append('<div class="video-embed"><iframe src="https://www.youtube.com/embed/trailer" '
                        'allowfullscreen></iframe></div>')
    return CHROME_TOP.format(title=title, headline=headline) + "\n".join(body) + "\n" + CHROME_BOTTOM.format(title=title)


if __name__ == "__main__":
    from pressroom.reading.reader import read

    sys.stdout.write(page(read(ROOT / "source" / "sean-baker-anora.md")))
