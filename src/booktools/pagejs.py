"""The JavaScript that the browser test (``tests/browser``) runs in each page, through Playwright's ``evaluate``.

Kept apart from the test so that the test reads as its checks; each snippet returns plain data (no handles).
"""

SETTLE_JS = """async () => {
  const images = Array.from(document.images);
  for (const img of images) { if (img.loading === 'lazy') img.loading = 'eager'; }
  const settle = img => img.complete ? null : new Promise(resolve => {
    img.addEventListener('load', resolve, {once: true});
    img.addEventListener('error', resolve, {once: true});
  });
  await Promise.race([Promise.all(images.map(settle)), new Promise(r => setTimeout(r, 15000))]);
  await document.fonts.ready;
}"""

IMAGES_JS = """() => Array.from(document.images).filter(img => img.getAttribute('src')).map(img => {
  const out = {src: img.currentSrc || img.src, complete: img.complete, width: img.naturalWidth,
               height: img.naturalHeight, output: !!img.closest('.cell_output, figure, .output'), ink: null};
  if (out.output && out.width > 0 && out.height > 0) {
    const scale = Math.min(1, 600 / Math.max(out.width, out.height));
    const w = Math.max(1, Math.round(out.width * scale)), h = Math.max(1, Math.round(out.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0, w, h);
    const data = ctx.getImageData(0, 0, w, h).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235) ink++;
    }
    out.ink = ink / (w * h);
  }
  return out;
})"""

FONT_JS = """async (family) => {
  let loaded = [];
  try { loaded = await document.fonts.load(`16px "${family}"`, '安全'); } catch (e) { loaded = []; }
  const faces = [];
  document.fonts.forEach(f => { if (f.family.replace(/["']/g, '') === family) faces.push(f.status); });
  return {faces, loaded: loaded.length};
}"""

# Marks (data-qg-han) up to three visible elements in the article whose own text contains Han characters.
MARK_HAN_JS = """() => {
  const root = document.querySelector('article') || document.querySelector('main') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const marked = [];
  while (walker.nextNode() && marked.length < 3) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.hasAttribute('data-qg-han') || !/[\\u3400-\\u4dbf\\u4e00-\\u9fff]/.test(node.textContent)) continue;
    // folded code (hide-input: a closed <details>) is not drawn, so no font draws it either
    if (el.closest('script, style, noscript, [hidden], details:not([open]) > :not(summary)') || el.getClientRects().length === 0) continue;
    el.setAttribute('data-qg-han', String(marked.length));
    marked.push(node.textContent.trim().slice(0, 40));
  }
  return marked;
}"""


AXE_RUN_JS = """async (tags) => {
  // preload: false -- axe otherwise re-fetches @import-ed stylesheets itself, resolving the theme's
  // @import "../basic.css" against the site root (a 404 that is axe's, not the book's).
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                                          preload: false});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""

# Every table of the article: does it fit the content column, or sit in a scroll box that does?
TABLES_JS = r"""() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const box = article.getBoundingClientRect();
  const out = [];
  for (const table of article.querySelectorAll('table')) {
    const r = table.getBoundingClientRect();
    if (r.width === 0) continue;
    let scroller = null;
    for (let el = table.parentElement; el && el !== article; el = el.parentElement) {
      const o = getComputedStyle(el).overflowX;
      if (o === 'auto' || o === 'scroll') { scroller = el; break; }
    }
    const s = scroller ? scroller.getBoundingClientRect() : null;
    out.push({text: (table.innerText || '').slice(0, 60).replace(/\s+/g, ' '),
              fits: r.left >= box.left - 1 && r.right <= box.right + 1,
              scroll_box_fits: !!s && s.left >= box.left - 1 && s.right <= box.right + 1 && s.width > 0});
  }
  return out;
}"""

FIGURES_JS = """() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const column = article.getBoundingClientRect();
  return Array.from(document.querySelectorAll('.cell_output img')).map(img => {
    const r = img.getBoundingClientRect(), link = img.closest('a');
    // a cell tagged full-width may use the margin beside the column, not more than the window
    const box = img.closest('.tag_full-width') ? {left: 0, right: window.innerWidth} : column;
    return {src: img.currentSrc || img.src, rendered: r.width, natural: img.naturalWidth,
            alt: img.getAttribute('alt') || '', in_column: r.left >= box.left - 1 && r.right <= box.right + 1,
            enlarge: link ? link.href : null};
  });
}"""

# The page's own width: nothing may make it wider than the window (no sideways scrolling of the whole page).
PAGE_WIDTH_JS = """() => ({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
  widest: Array.from(document.querySelectorAll('article.bd-article *')).filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > window.innerWidth + 1;
  }).slice(0, 3).map(el => `${el.tagName.toLowerCase()}.${el.className}: ${(el.innerText || '').slice(0, 60)}`)})"""

# The reader conventions of issue 23 (run last: it opens every folded output, which a reader can do too):
# every table numbered with a caption, every figure numbered with alt text, no doc_id in visible text outside
# code, the code cells and the CSV links. ``ids`` are the manifest's doc_ids.
READER_JS = r"""(ids) => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  for (const d of article.querySelectorAll('details')) d.open = true;
  const tables = Array.from(article.querySelectorAll('table')).map(t => {
    const cap = t.querySelector(':scope > caption');
    return {text: (t.innerText || '').slice(0, 60).replace(/\s+/g, ' '),
            captioned: !!(cap && cap.querySelector('.caption-number') && cap.querySelector('.caption-text'))};
  });
  const figures = Array.from(article.querySelectorAll('.cell_output img')).map(img => {
    const fig = img.closest('figure'), cap = fig ? fig.querySelector('figcaption') : null;
    return {src: img.currentSrc || img.src, alt: img.getAttribute('alt') || '',
            numbered: !!(cap && cap.querySelector('.caption-number'))};
  });
  const pattern = new RegExp('(?<![A-Za-z0-9_])(' + ids.join('|') + ')(?![A-Za-z0-9_])', 'g');
  const doc_ids = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('pre, code, kbd, samp, script, style, .cell_input, a.book-table-csv, a.headerlink')) continue;
    if (el.getClientRects().length === 0) continue;
    for (const m of node.textContent.matchAll(pattern)) doc_ids.push(m[1]);
  }
  for (const f of figures) for (const m of f.alt.matchAll(pattern)) doc_ids.push(m[1]);
  return {tables, figures, doc_ids};
}"""
