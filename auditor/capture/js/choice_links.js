// Finds "Your Privacy Choices" / "Do Not Sell" links (piercing open shadow roots) and the icons inside or
// right next to them, plus the rendered heights of the page's other small icons for comparison.
// Boxes are in document coordinates of this frame.
([phrases, maxGap]) => {
  const LINKS = 'a, button, [role="link"], [role="button"]';
  const ICONS = 'img, svg, picture, [role="img"], i, span, object';
  const collapse = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const norm = (s) => collapse(s).toLowerCase().replace(/[\u2018\u2019]/g, "'");
  const box = (r) => ({x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height});

  const roots = [];
  const walk = (root) => {
    roots.push(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) if (n.shadowRoot) walk(n.shadowRoot);
  };
  walk(document);
  const all = (selector) => roots.flatMap((root) => Array.from(root.querySelectorAll(selector)));

  const shown = (el, r) => {
    if (r.width < 1 || r.height < 1) return false;
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.opacity) !== 0;
  };
  // An element counts as an icon when it is an image or SVG, or a small box painted with a background image.
  const isIcon = (el, r) => {
    const tag = el.tagName.toLowerCase();
    if (['img', 'svg', 'picture', 'object'].includes(tag) || el.getAttribute('role') === 'img') return true;
    const bg = getComputedStyle(el).backgroundImage;
    return bg && bg !== 'none' && r.width <= 80 && r.height <= 80;
  };
  const describe = (el, position, gap) => {
    const r = el.getBoundingClientRect();
    const src = el.currentSrc || el.src || el.getAttribute('data') ||
      (getComputedStyle(el).backgroundImage || '').replace(/^url\(["']?|["']?\)$/g, '');
    return {
      tag: el.tagName.toLowerCase(),
      position,
      src: (src && src !== 'none' ? String(src) : '').slice(0, src && String(src).startsWith('data:') ? 100 : 1000),
      alt: collapse(el.getAttribute('alt')).slice(0, 300),
      label: collapse(el.getAttribute('aria-label') || el.getAttribute('title')).slice(0, 300),
      class_name: collapse(typeof el.className === 'string' ? el.className : el.getAttribute('class')).slice(0, 300),
      box: box(r),
      gap_px: Math.round(gap * 10) / 10,
      visible: shown(el, r),
    };
  };
  const inFooter = (el) => {
    for (let n = el; n; n = n.parentElement || (n.getRootNode && n.getRootNode().host)) {
      if (n.tagName === 'FOOTER' || (n.getAttribute && n.getAttribute('role') === 'contentinfo')) return true;
      if (/footer/i.test(n.id || '') || /footer/i.test(typeof n.className === 'string' ? n.className : '')) return true;
    }
    return false;
  };

  const icons = all(ICONS).filter((el) => {
    const r = el.getBoundingClientRect();
    return isIcon(el, r) && shown(el, r);
  });
  const links = [];
  for (const link of all(LINKS)) {
    const text = collapse(link.innerText || link.textContent) ||
      collapse(link.getAttribute('aria-label')) ||
      collapse((link.querySelector('img[alt]') || {getAttribute: () => ''}).getAttribute('alt'));
    if (!text || text.length > 150 || !phrases.some((p) => norm(text).includes(p))) continue;
    const r = link.getBoundingClientRect();
    const found = [];
    for (const icon of icons) {
      const ir = icon.getBoundingClientRect();
      if (link.contains(icon)) { found.push(describe(icon, 'inside', 0)); continue; }
      // Adjacent: on the same line (vertical overlap) and within maxGap pixels to the left or right.
      const overlap = Math.min(r.bottom, ir.bottom) - Math.max(r.top, ir.top);
      if (overlap < Math.min(r.height, ir.height) * 0.5) continue;
      const gap = ir.left >= r.right ? ir.left - r.right : r.left - ir.right;
      if (gap >= 0 && gap <= maxGap && !icon.closest(LINKS)) found.push(describe(icon, 'adjacent', gap));
      else if (gap >= 0 && gap <= maxGap && icon.closest(LINKS) === link) found.push(describe(icon, 'inside', 0));
    }
    const style = getComputedStyle(link);
    links.push({
      text: text.slice(0, 300),
      href: link.tagName === 'A' ? (link.href || '') : '',
      visible: shown(link, r),
      in_footer: inFooter(link),
      box: box(r),
      font_size_px: parseFloat(style.fontSize) || null,
      icons: found.slice(0, 10),
    });
    if (links.length >= 20) break;
  }
  const linked = new Set(links.flatMap((l) => l.icons.map((i) => `${i.box.x},${i.box.y}`)));
  const reference = icons
    .map((el) => el.getBoundingClientRect())
    .filter((r) => r.height >= 8 && r.height <= 64 && r.width <= 200 && !linked.has(`${r.left + scrollX},${r.top + scrollY}`))
    .slice(0, 200)
    .map((r) => Math.round(r.height * 10) / 10);
  return {links, reference_icon_heights: reference};
}
