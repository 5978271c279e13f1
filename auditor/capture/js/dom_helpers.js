// DOM helpers shared by the page-side bundles (consent/js/consent.js, accessibility/js/a11y.js): capture/scripts.py
// puts them in scope of each bundle, so there is one copy. Open shadow roots are pierced; nothing here clicks.
const collapse = (s) => (s || '').replace(/\s+/g, ' ').trim();

// The parent element, or the host of the shadow root an element is the top of.
const parentOf = (el) => {
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode && el.getRootNode();
  return root && root.host ? root.host : null;
};

// querySelectorAll through open shadow roots: `root`'s own tree first, then each shadow root below it (its own
// included when `root` is a host), each once.
const deepAll = (root, selector) => {
  const out = [];
  const visit = (node) => {
    if (node.querySelectorAll) out.push(...node.querySelectorAll(selector));
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) if (n.shadowRoot) visit(n.shadowRoot);
  };
  visit(root);
  return out;
};

const deepContains = (outer, inner) => {
  for (let n = inner; n; n = parentOf(n)) if (n === outer) return true;
  return false;
};

// Shown to the visitor: a box of at least 1x1 px, not display:none, hidden or fully transparent.
const visible = (el) => {
  if (!el || !el.getBoundingClientRect) return false;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return false;
  if (el.checkVisibility) return el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const s = getComputedStyle(el);
  return s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.opacity) !== 0;
};
