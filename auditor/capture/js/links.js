// Collects link-like elements in this document, piercing open shadow roots.
// Returns boxes in this frame's document coordinates; the caller adds the frame's own offset.
// Over `maxLinks`, the first and last halves (in document order) are kept: legal links live in the header,
// the cookie banner and the footer, rarely in the middle of a 10,000-item list. `total` counts them all.
(maxLinks) => {
  const SELECTOR = 'a, button, [role="link"], [role="button"], input[type="button"], input[type="submit"]';
  const FOOTER_WORD = /footer/i;

  const collapse = (s) => (s || '').replace(/\s+/g, ' ').trim();

  const parentAcrossShadow = (el) => {
    if (el.parentElement) return el.parentElement;
    const root = el.getRootNode && el.getRootNode();
    return root && root.host ? root.host : null;
  };

  const inFooter = (el) => {
    for (let n = el; n; n = parentAcrossShadow(n)) {
      if (n.tagName === 'FOOTER' || n.getAttribute('role') === 'contentinfo') return true;
      const id = n.id || '';
      const cls = typeof n.className === 'string' ? n.className : '';
      if (FOOTER_WORD.test(id) || FOOTER_WORD.test(cls)) return true;
    }
    return false;
  };

  const isVisible = (el, rect) => {
    if (rect.width < 1 || rect.height < 1) return false;
    for (let n = el; n; n = parentAcrossShadow(n)) {
      const style = getComputedStyle(n);
      if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return false;
      if (parseFloat(style.opacity) === 0) return false;
    }
    return true;
  };

  const textOf = (el) => {
    let text = collapse(el.innerText);
    if (!text) text = collapse(el.textContent);
    if (!text && el.tagName === 'INPUT') text = collapse(el.value);
    if (!text) {
      const img = el.querySelector && el.querySelector('img[alt]');
      if (img) text = collapse(img.getAttribute('alt'));
    }
    return text;
  };

  const describe = ([el, inShadow]) => {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text: textOf(el).slice(0, 500),
      aria_label: collapse(el.getAttribute('aria-label')).slice(0, 500),
      title: collapse(el.getAttribute('title')).slice(0, 500),
      href: el.tagName === 'A' ? (el.href || '') : '',
      visible: isVisible(el, rect),
      box: {x: rect.left + window.scrollX, y: rect.top + window.scrollY, width: rect.width, height: rect.height},
      in_footer: inFooter(el),
      in_shadow_root: inShadow,
      font_size_px: parseFloat(style.fontSize) || null,
      color: style.color || '',
    };
  };

  const elements = [];
  const gather = (root, inShadow) => {
    for (const el of root.querySelectorAll(SELECTOR)) elements.push([el, inShadow]);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.shadowRoot) gather(n.shadowRoot, true);
    }
  };

  gather(document, false);
  let picked = elements;
  if (elements.length > maxLinks) {
    const head = Math.ceil(maxLinks / 2);
    picked = elements.slice(0, head).concat(elements.slice(elements.length - (maxLinks - head)));
  }
  return {links: picked.map(describe), total: elements.length};
}
