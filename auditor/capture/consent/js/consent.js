// The auditor's consent reader, evaluated in a frame as `([op, arg]) => (LIB)[op](arg)`.
// Reads banners, preference centers, forms and links the way a visitor sees them: visible elements only,
// open shadow roots pierced. Elements the Python side may click get a `data-auditor-ref` attribute
// (invisible to the visitor). Boxes are in this frame's viewport coordinates. The shared DOM helpers (collapse,
// parentOf, deepAll, deepContains, visible) come from capture/js/dom_helpers.js.
(() => {
  const REF = 'data-auditor-ref';
  const CONSENT_WORDS = /\b(cookies?|consent|privacy|personal (data|information)|tracking|advertis\w*|partners|sell|sale|share)\b/i;
  const BUTTONS = 'button, a[href], [role="button"], [role="link"], input[type="button"], input[type="submit"]';
  const CONTROLS = 'input[type="checkbox"], input[type="radio"], [role="switch"], [role="checkbox"]:not(input), button[aria-pressed]';
  const ALWAYS = /^(always active|always on|required|always enabled)$/i;
  // The auditor's timers must not count as the page's own pending work (js/quiet.js).
  const tracker = window.__auditorQuiet;
  const setTimeout = tracker ? tracker.setTimer : window.setTimeout.bind(window);
  const clearTimeout = tracker ? tracker.clearTimer : window.clearTimeout.bind(window);

  const inShadow = (el) => { const r = el.getRootNode && el.getRootNode(); return !!(r && r.host); };

  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.left, y: r.top, width: r.width, height: r.height}; };
  const rendered = (el) => !!el && el.getBoundingClientRect().width >= 1 && (!el.checkVisibility || el.checkVisibility({visibilityProperty: true}));

  // Visible text including open shadow roots (innerText stops at shadow boundaries).
  const deepText = (el, max = 5000) => {
    const hasShadow = el.shadowRoot || deepAll(el, '*').some((n) => n.shadowRoot);
    if (!hasShadow && el.innerText !== undefined) return collapse(el.innerText).slice(0, max);
    const parts = [];
    const visit = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) { const t = collapse(child.textContent); if (t) parts.push(t); }
        else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.tagName === 'SCRIPT' || child.tagName === 'STYLE') continue;
          if (!rendered(child) && !child.shadowRoot) continue;
          if (child.shadowRoot) visit(child.shadowRoot);
          visit(child);
        }
      }
    };
    visit(el.shadowRoot || el);
    if (el.shadowRoot) visit(el);
    return collapse(parts.join(' ')).slice(0, max);
  };

  let counter = 0;
  const prefix = Math.random().toString(36).slice(2, 7);
  const tag = (el) => {
    if (!el.getAttribute(REF)) el.setAttribute(REF, `${prefix}-${++counter}`);
    return el.getAttribute(REF);
  };
  const byRef = (ref) => deepAll(document, `[${REF}="${ref}"]`)[0] || null;
  const describe = (el) => {
    if (!el || !el.tagName) return '';
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean).slice(0, 3) : [];
    if (cls.length) s += '.' + cls.join('.');
    return s;
  };
  const textOf = (el) => {
    let t = collapse(el.innerText);
    if (!t) t = collapse(el.textContent);
    if (!t && el.tagName === 'INPUT') t = collapse(el.value);
    if (!t) { const img = el.querySelector && el.querySelector('img[alt]'); if (img) t = collapse(img.getAttribute('alt')); }
    return t.slice(0, 300);
  };

  const buttonInfo = (el) => {
    const s = getComputedStyle(el);
    return {
      expands: el.hasAttribute('aria-expanded') || el.hasAttribute('aria-controls'),
      text: textOf(el), aria_label: collapse(el.getAttribute('aria-label')).slice(0, 300),
      tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '', element_id: el.id || '',
      href: el.tagName === 'A' ? (el.getAttribute('href') || '') : '',
      visible: visible(el), box: box(el), background: s.backgroundColor, color: s.color,
      font_size_px: parseFloat(s.fontSize) || null, ref: tag(el), in_request_form: !!requestForm(el),
    };
  };
  // "Allow all cookies" / "Deny all cookies" drawn as a pressed-button pair are the panel's global buttons, not a control.
  const GLOBAL = /\b(all|everything)\b/i;
  const buttonsIn = (root, max = 40) => {
    const out = [];
    for (const el of deepAll(root, BUTTONS)) {
      if (el.matches('[aria-pressed]') && el.parentElement && el.parentElement.querySelectorAll('[aria-pressed]').length > 1 && !GLOBAL.test(textOf(el))) continue;
      if (!visible(el)) continue;
      out.push(buttonInfo(el));
      if (out.length >= max) break;
    }
    return out;
  };

  const positionName = (b, w = innerWidth, h = innerHeight) => {
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    if (b.width >= w * 0.9) return cy < h * 0.34 ? 'top' : cy > h * 0.66 ? 'bottom' : 'center';
    const v = cy < h * 0.34 ? 'top' : cy > h * 0.66 ? 'bottom' : 'middle';
    const hz = cx < w * 0.34 ? 'left' : cx > w * 0.66 ? 'right' : 'center';
    if (v === 'middle' && hz === 'center') return 'center';
    return v === 'middle' ? hz : hz === 'center' ? v : `${v}-${hz}`;
  };
  const fixedAncestor = (el) => {
    for (let n = el; n; n = parentOf(n)) {
      const p = getComputedStyle(n).position;
      if (p === 'fixed' || p === 'sticky') return p;
    }
    return '';
  };
  // A full-viewport layer over the page outside `el` (a dark filter or modal backdrop).
  const pageBlocked = (el) => {
    const b = el.getBoundingClientRect();
    const points = [[8, 8], [innerWidth - 8, innerHeight / 2], [innerWidth / 2, 8], [8, innerHeight - 8]];
    for (const [x, y] of points) {
      if (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) continue;
      const hit = document.elementFromPoint(x, y);
      if (!hit || deepContains(el, hit)) continue;
      for (let n = hit; n; n = parentOf(n)) {
        const s = getComputedStyle(n);
        const r = n.getBoundingClientRect();
        if (s.position === 'fixed' && r.width >= innerWidth * 0.9 && r.height >= innerHeight * 0.9) return describe(n);
      }
    }
    return '';
  };

  // `layer` (a frame's document shown as a layer of the top page): where the frame sits in the top page's viewport
  // and its fixed or sticky position there, so the banner's place is the one the visitor sees.
  const bannerRecord = (el, foundBy, cmp, layer = null) => {
    const b = box(el);
    const view = layer || {dx: 0, dy: 0, width: innerWidth, height: innerHeight};
    const t = {x: b.x + view.dx, y: b.y + view.dy, width: b.width, height: b.height};
    return {
      found_by: foundBy, cmp: cmp || '', selector: describe(el), text: deepText(el, 3000), box: b,
      position: positionName(t, view.width, view.height),
      css_position: layer ? layer.position : fixedAncestor(el) || getComputedStyle(el).position,
      viewport_fraction: Math.min(1, (Math.max(0, Math.min(t.x + t.width, view.width) - Math.max(t.x, 0)) *
                                      Math.max(0, Math.min(t.y + t.height, view.height) - Math.max(t.y, 0))) / (view.width * view.height)),
      // a layer outside the frame is the top page's to see; from inside the frame it cannot be
      page_blocked: layer ? '' : pageBlocked(el), in_shadow_root: inShadow(el), buttons: buttonsIn(el), ref: tag(el),
    };
  };

  const scanBanners = ({known, layer = null}) => {
    const found = [];
    for (const [cmp, selector] of known) {
      let els = [];
      try { els = deepAll(document, selector); } catch (e) { continue; }
      for (const el of els) {
        if (!visible(el) || found.some((f) => deepContains(f.el, el) || deepContains(el, f.el))) continue;
        if (!buttonsIn(el, 1).length) continue;
        found.push({el, rec: bannerRecord(el, `CMP container ${selector}`, cmp), score: 3});
      }
    }
    const heuristic = [];
    for (const el of deepAll(document.body || document.documentElement, '*')) {
      if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE') continue;
      const s = getComputedStyle(el);
      const dialog = /^(dialog|alertdialog)$/.test(el.getAttribute('role') || '') || el.getAttribute('aria-modal') === 'true' || (el.tagName === 'DIALOG' && el.open);
      if (s.position !== 'fixed' && s.position !== 'sticky' && !dialog) continue;
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width * r.height < 3000) continue;
      const text = deepText(el, 3000);
      if (text.length < 20 || !CONSENT_WORDS.test(text)) continue;
      if (!buttonsIn(el, 1).length) continue;
      heuristic.push({el, dialog});
    }
    // Keep the innermost qualifying element: a fixed wrapper around a fixed card is the card.
    for (const h of heuristic) {
      if (heuristic.some((o) => o !== h && deepContains(h.el, o.el))) continue;
      if (found.some((f) => deepContains(f.el, h.el) || deepContains(h.el, f.el))) continue;
      const foundBy = h.dialog ? 'dialog with consent wording and buttons' : 'fixed element with consent wording and buttons';
      found.push({el: h.el, rec: bannerRecord(h.el, foundBy, ''), score: h.dialog ? 1 : 2});
    }
    // A consent message that is a frame's whole document (Sourcepoint-style: the top page holds a fixed container
    // with the frame): nothing in the frame is fixed, the frame itself is the layer.
    const body = document.body;
    if (layer && !found.length && body && visible(body)) {
      const text = deepText(body, 3000);
      if (text.length >= 20 && CONSENT_WORDS.test(text) && buttonsIn(body, 1).length) {
        found.push({el: body, rec: bannerRecord(body, 'a frame shown as a fixed layer, with consent wording and buttons', '', layer), score: 1});
      }
    }
    found.sort((a, b) => b.score - a.score);
    return found.slice(0, 3).map((f) => f.rec);
  };

  // Resolve with check()'s value once it is truthy, re-checking after DOM mutations (document and every open
  // shadow root, which a document observer cannot see into); resolve with `onTimeout` after timeoutMs.
  const watch = (check, timeoutMs, onTimeout, recheckMs = []) => new Promise((resolve) => {
    const started = performance.now();
    const observed = new Set();
    let timer = null, cap = null;
    const options = {subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'style', 'hidden', 'open', 'aria-hidden']};
    const schedule = () => { if (!timer) timer = setTimeout(run, 150); };
    const observer = new MutationObserver(schedule);
    // CSS transitions change visibility without DOM mutations: their end events trigger a check too.
    const EVENTS = ['transitionend', 'animationend'];
    const finish = (value) => {
      observer.disconnect(); clearTimeout(timer); clearTimeout(cap); rechecks.forEach(clearTimeout);
      for (const root of observed) for (const type of EVENTS) root.removeEventListener(type, schedule, true);
      resolve({...value, waited: performance.now() - started});
    };
    const attach = () => {
      const roots = [document, ...deepAll(document, '*').filter((n) => n.shadowRoot).map((n) => n.shadowRoot)];
      for (const root of roots) {
        if (observed.has(root)) continue;
        observed.add(root); observer.observe(root, options);
        for (const type of EVENTS) root.addEventListener(type, schedule, true);
      }
    };
    function run() { timer = null; attach(); let value = null; try { value = check(); } catch (e) {} if (value) finish(value); }
    cap = setTimeout(() => finish(onTimeout), timeoutMs);
    const rechecks = recheckMs.map((ms) => setTimeout(schedule, ms));  // conditions that change with time alone
    run();
  });

  // A CMP whose script has run but shows no banner (consent already given, or suppressed by GPC) ends the wait
  // after `graceMs` instead of the full timeout.
  const CMP_GLOBALS = [['OneTrust', () => window.OneTrust || window.Optanon], ['Cookiebot', () => window.Cookiebot],
    ['Didomi', () => window.Didomi], ['Usercentrics', () => window.UC_UI], ['TrustArc', () => window.truste],
    ['Osano', () => window.Osano], ['Sourcepoint', () => window._sp_],
    ['vanilla-cookieconsent', () => window.CookieConsent && window.CookieConsent.acceptedCategory]];
  const loadedCmp = () => { for (const [name, test] of CMP_GLOBALS) { try { if (test()) return name; } catch (e) {} } return ''; };
  const waitForBanner = ({known, timeoutMs, graceMs}) => {
    const started = performance.now();
    const check = () => {
      if (scanBanners({known}).length) return {reason: 'banner'};
      const cmp = graceMs ? loadedCmp() : '';
      return cmp && performance.now() - started >= graceMs ? {reason: 'cmp-loaded', cmp} : null;
    };
    const waiting = watch(check, timeoutMs, {reason: 'timeout'}, graceMs ? [graceMs + 10] : []);
    return waiting;
  };
  const waitHidden = ({ref, timeoutMs}) => watch(() => { const el = byRef(ref); return !el || !visible(el) ? {reason: 'hidden'} : null; }, timeoutMs, {reason: 'timeout'});

  const settleAnimations = ({timeoutMs}) => {
    const running = document.getAnimations ? document.getAnimations().filter((a) => a.playState === 'running') : [];
    if (!running.length) return Promise.resolve('none');
    return Promise.race([Promise.allSettled(running.map((a) => a.finished)).then(() => 'finished'),
                         new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  };

  // The header text of the category a control belongs to: the closest ancestor holding only this control
  // (or its radio / button group) and some heading-like text.
  const HEADING = 'h1, h2, h3, h4, h5, h6, [role="heading"], legend, summary, [class*="header" i], [class*="title" i], label, strong, b, button[aria-expanded], dt, th';
  // A control's state shown as text next to it ("Allowed", "Opted out") is not what the control is about.
  const STATE_WORDS = /^(allowed|not allowed|opted (out|in)|on|off|active|inactive|enabled|disabled|yes|no|granted|denied|accepted|declined|consented)[.:!]?$/i;
  // For a radio group or button pair (`options`), the options' own labels name the choices, not the category.
  const categoryOf = (control, group, options = false) => {
    const optionLabels = new Set();
    if (options) {
      for (const member of group) {
        const root = member.getRootNode();
        if (member.id && root.querySelectorAll) root.querySelectorAll(`label[for="${CSS.escape(member.id)}"]`).forEach((l) => optionLabels.add(l));
        const wrap = member.closest && member.closest('label');
        if (wrap) optionLabels.add(wrap);
      }
      // a role=radiogroup / fieldset names its group directly (a legend, or the group's own accessible name)
      const holder = control.closest && control.closest('[role="radiogroup"], [role="group"], fieldset');
      const named = holder && (holder.querySelector(':scope > legend') || null);
      if (named && collapse(named.innerText || named.textContent)) return {item: holder, heading: named};
      const name = holder && labelOf(holder);
      if (name && !STATE_WORDS.test(name)) return {item: holder, heading: {innerText: name}};
    }
    let node = parentOf(control), depth = 0;
    let best = null;
    let plain = null;  // the smallest row holding only this control whose own words (no heading element) name it
    while (node && node !== document.body && depth < 7) {
      const others = deepAll(node, CONTROLS).filter((c) => !group.includes(c) && !c.disabled);
      if (others.length) break;
      const heading = deepAll(node, HEADING).find((h) => !group.some((g) => deepContains(h, g) && h !== g && h.tagName !== 'LABEL') && !group.includes(h) && !(options && optionLabels.has(h)) && collapse(h.innerText || h.textContent).length > 1 && !STATE_WORDS.test(collapse(h.innerText || h.textContent)));
      if (heading) { best = {item: node, heading}; break; }
      if (!plain) { const words = rowWords(node, group, optionLabels); if (words) plain = {item: node, heading: {innerText: words}}; }
      node = parentOf(node); depth += 1;
    }
    // (an "Always active" text is named by a heading only: its row's words are the category's description)
    return best || (control.matches && control.matches(CONTROLS + ', select') ? plain : null);
  };
  // The words of a row outside its control, the control's option labels and any button ("Ad partners (targeted
  // advertising)" beside an Allow / Deny pair): what names the row when no heading-like element does.
  const rowWords = (node, group, optionLabels) => {
    const parts = [];
    const walk = (n) => {
      for (const child of n.childNodes) {
        if (parts.join(' ').length > 200) return;
        if (child.nodeType === Node.TEXT_NODE) { const t = collapse(child.textContent); if (t) parts.push(t); continue; }
        if (child.nodeType !== Node.ELEMENT_NODE || group.includes(child) || optionLabels.has(child)) continue;
        if (/^(BUTTON|INPUT|SELECT|TEXTAREA|SCRIPT|STYLE|TEMPLATE|SVG)$/i.test(child.tagName) || !rendered(child)) continue;
        walk(child);
      }
    };
    walk(node);
    const words = collapse(parts.join(' ')).slice(0, 200);
    return words.length > 1 && !STATE_WORDS.test(words) ? words : '';
  };
  const labelOf = (el) => {
    const ids = collapse(el.getAttribute('aria-labelledby'));
    if (ids) {
      const root = el.getRootNode();
      const text = ids.split(' ').map((id) => (root.getElementById ? root.getElementById(id) : document.getElementById(id))).filter(Boolean).map((n) => collapse(n.innerText || n.textContent)).join(' ');
      if (text) return text;
    }
    if (el.id) { const root = el.getRootNode(); const l = root.querySelector && root.querySelector(`label[for="${CSS.escape(el.id)}"]`); if (l && collapse(l.innerText || l.textContent)) return collapse(l.innerText || l.textContent); }
    const wrap = el.closest && el.closest('label');
    if (wrap && collapse(wrap.innerText)) return collapse(wrap.innerText);
    return collapse(el.getAttribute('aria-label')) || collapse(el.getAttribute('title'));
  };
  // The element a visitor clicks to flip a control: the control when visible, else its label or switch.
  const clickTarget = (el) => {
    if (visible(el)) return el;
    if (el.id) { const root = el.getRootNode(); const l = root.querySelector && root.querySelector(`label[for="${CSS.escape(el.id)}"]`); if (l && visible(l)) return l; }
    const wrap = el.closest && el.closest('label');
    if (wrap && visible(wrap)) return wrap;
    for (let n = parentOf(el), i = 0; n && i < 3; n = parentOf(n), i += 1) if (visible(n)) return n;
    return el;
  };
  const attrs = (el) => {
    const out = {};
    for (const name of ['id', 'name', 'value', 'data-optanongroupid', 'data-category', 'data-purpose', 'data-cookiecategory', 'aria-labelledby']) {
      const v = el.getAttribute(name);
      if (v) out[name] = v.slice(0, 200);
    }
    return out;
  };

  // A form that asks for personal data (a required text, e-mail, phone, date or file field): an offline request, whose
  // fields the auditor records but never fills.
  const PERSONAL = 'input[type="text"], input[type="email"], input[type="tel"], input[type="date"], input[type="number"], input[type="file"], input[type="password"], input:not([type]), textarea, select';
  const requestForm = (el) => {
    const form = el.closest && el.closest('form');
    if (!form) return null;
    const asks = [...form.querySelectorAll(PERSONAL)].some((f) => f !== el && rendered(f) && (f.required || f.getAttribute('aria-required') === 'true'));
    return asks ? form : null;
  };

  // `exclude`: an element left out (the consent banner, when the page behind the opt-out link shows it again).
  const readControls = ({ref, exclude}) => {
    const root = ref ? byRef(ref) : document.body;
    if (!root) return {toggles: [], buttons: [], title: '', text: ''};
    const skip = exclude ? byRef(exclude) : null;
    const outside = (el) => !(skip && deepContains(skip, el));
    const toggles = [];
    const seenGroups = new Set();
    for (const el of deepAll(root, CONTROLS + ', select')) {
      if (requestForm(el) || !outside(el)) continue;  // a field of a form that asks for personal data: read as a form
      let kind, group = [el], options = [], selected = '', checked = null;
      if (el.matches('select')) {
        if (!visible(el)) continue;
        kind = 'select';
        const choices = [...el.options];
        options = choices.map((o) => collapse(o.text) || o.value);
        const on = choices[el.selectedIndex];
        selected = on ? (collapse(on.text) || on.value) : '';
      } else if (el.matches('input[type="radio"]')) {
        const name = el.name;
        const scope = el.getRootNode();
        group = name ? [...scope.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`)] : [el];
        const key = 'radio:' + (name || tag(el));
        if (seenGroups.has(key)) continue;
        seenGroups.add(key);
        kind = 'radio';
        options = group.map((r) => labelOf(r) || r.value);
        const on = group.find((r) => r.checked);
        selected = on ? (labelOf(on) || on.value) : '';
      } else if (el.matches('button[aria-pressed]')) {
        group = [...el.parentElement.querySelectorAll(':scope > button[aria-pressed], :scope > * > button[aria-pressed]')];
        const key = 'pair:' + tag(el.parentElement);
        if (seenGroups.has(key)) continue;
        seenGroups.add(key);
        if (group.length > 1 && group.every((b) => GLOBAL.test(textOf(b)))) continue;  // read as buttons
        if (group.length < 2) { kind = 'switch'; checked = el.getAttribute('aria-pressed') === 'true'; }
        else {
          kind = 'button_pair';
          options = group.map((b) => textOf(b) || collapse(b.getAttribute('aria-label')));
          const on = group.find((b) => b.getAttribute('aria-pressed') === 'true');
          selected = on ? (textOf(on) || collapse(on.getAttribute('aria-label'))) : '';
        }
      } else {
        const role = el.getAttribute('role') || '';
        const cls = `${el.className || ''} ${(el.parentElement && el.parentElement.className) || ''}`;
        kind = role === 'switch' || /switch|toggle/i.test(typeof cls === 'string' ? cls : '') ? 'switch' : 'checkbox';
        checked = el.tagName === 'INPUT' ? el.checked : el.getAttribute('aria-checked') === 'true';
      }
      const grouped = kind === 'radio' || kind === 'button_pair';
      const target = kind === 'select' ? el : clickTarget(el);
      if (!visible(target) && !(grouped && group.some((g) => visible(clickTarget(g))))) continue;  // not shown
      const category = categoryOf(el, group, grouped);
      const header = category ? collapse(category.heading.innerText || category.heading.textContent) : '';
      const own = grouped ? '' : labelOf(el);
      const itemText = category ? deepText(category.item, 600) : '';
      const a = attrs(el);
      // A label the page ties to the control itself (aria-labelledby, label[for], a wrapping label) says what it is
      // about better than a heading found around it; the heading is kept as the control's context.
      const explicit = own && !STATE_WORDS.test(own) && (el.hasAttribute('aria-labelledby') || el.hasAttribute('aria-label') || (el.id && el.getRootNode().querySelector && el.getRootNode().querySelector(`label[for="${CSS.escape(el.id)}"]`)) || (el.closest && el.closest('label')));
      const label = explicit ? own : (header || own || '');
      const second = explicit ? header : own;
      toggles.push({
        label: label.slice(0, 300), control_label: second && second !== label ? second.slice(0, 300) : '',
        description: itemText.replace(header, '').trim().slice(0, 400), kind, checked, selected, options,
        disabled: !!(el.disabled || el.getAttribute('aria-disabled') === 'true'),
        always_text: category ? itemText : '',
        group_id: a['data-optanongroupid'] || a['data-category'] || a['data-cookiecategory'] || a['data-purpose'] || (a.value && a.value !== 'on' ? a.value : '') || a.name || a.id || '',
        attributes: a, ref: tag(el), click_ref: tag(target), visible: visible(target),
        option_refs: kind === 'radio' || kind === 'button_pair' ? group.map((g) => tag(clickTarget(g))) : [],
      });
    }
    // Categories shown as "Always Active" with no control at all (OneTrust renders a label instead).
    for (const el of deepAll(root, 'span, div, p, em, small')) {
      const t = collapse(el.innerText || el.textContent);
      if (!ALWAYS.test(t) || !visible(el) || el.children.length > 1) continue;
      const category = categoryOf(el, [el]);
      if (!category) continue;
      if (deepAll(category.item, CONTROLS).length) continue;
      toggles.push({label: collapse(category.heading.innerText || category.heading.textContent).slice(0, 300), control_label: t,
                    description: deepText(category.item, 600).slice(0, 400), kind: 'always_active', checked: true, selected: '', options: [],
                    disabled: true, always_text: t, group_id: '', attributes: {}, ref: tag(el), click_ref: tag(el), visible: true, option_refs: []});
    }
    const heading = deepAll(root, 'h1, h2, h3, [role="heading"]').find((h) => visible(h) && outside(h));
    return {toggles, buttons: buttonsIn(root, 80).filter((b) => outside(byRef(b.ref))), title: heading ? collapse(heading.innerText).slice(0, 300) : '', text: deepText(root, 4000), box: box(root), in_shadow_root: inShadow(root)};
  };

  const KNOWN_DIALOGS = '#onetrust-pc-sdk, #CybotCookiebotDialog, #truste-consent-content, #didomi-popup, #qc-cmp2-ui, .osano-cm-window, #ketch-preferences, #ketch-modal, .cky-modal, .cky-preference-center, #cmplz-manage-consent, #cc-main .pm, #cc-main .pm-wrapper, [data-testid="uc-layer"], [data-testid="uc-center-container"]';
  // A visible dialog / preference center: known CMP containers first, then any dialog or fixed layer with controls.
  const findDialog = ({exclude}) => {
    const skip = exclude ? byRef(exclude) : null;
    const candidates = [];
    for (const el of deepAll(document, KNOWN_DIALOGS)) if (visible(el) && deepAll(el, CONTROLS + ', ' + BUTTONS).length) candidates.push({el, found: `CMP preference center ${describe(el)}`, score: 3});
    for (const el of deepAll(document, '[role="dialog"], [role="alertdialog"], [aria-modal="true"], dialog[open]')) if (visible(el)) candidates.push({el, found: `dialog ${describe(el)}`, score: 2});
    for (const el of deepAll(document.body || document.documentElement, '*')) {
      const s = getComputedStyle(el);
      if ((s.position === 'fixed' || s.position === 'absolute') && visible(el) && deepAll(el, CONTROLS).some(visible.bind(null)) ) {
        const r = el.getBoundingClientRect();
        if (r.width * r.height > 20000) candidates.push({el, found: `layer with controls ${describe(el)}`, score: 1});
      }
    }
    const useful = candidates.filter((c) => !(skip && (c.el === skip || deepContains(c.el, skip) && !deepAll(c.el, CONTROLS).length)));
    if (!useful.length) return null;
    useful.sort((a, b) => b.score - a.score || deepAll(b.el, CONTROLS).length - deepAll(a.el, CONTROLS).length);
    // Prefer the innermost container that still holds all the controls of the best one.
    let best = useful[0];
    const count = deepAll(best.el, CONTROLS).length;
    const buttons = deepAll(best.el, BUTTONS).filter(visible).length;
    if (best.score < 3) {
      for (const c of useful) {
        if (c !== best && deepContains(best.el, c.el) && count > 0 && deepAll(c.el, CONTROLS).length === count &&
            deepAll(c.el, BUTTONS).filter(visible).length === buttons) best = {...c, found: best.found};
      }
    }
    return {ref: tag(best.el), found_by: best.found, selector: describe(best.el)};
  };
  // What a click opened, found by what became visible: every element visible now is remembered (markSeen); after
  // the click, the outermost elements that were not visible before and hold something to act on (a control, a frame,
  // or buttons with consent wording) are what opened, wherever they live (document, open shadow roots).
  const markSeen = () => {
    const seen = new WeakSet();
    for (const el of deepAll(document.body || document.documentElement, '*')) if (visible(el)) seen.add(el);
    window.__auditorSeen = seen;
    return true;
  };
  const interactive = (el) => {
    const controls = deepAll(el, CONTROLS + ', select').filter((c) => visible(clickTarget(c)) && !requestForm(c)).length;
    const frames = deepAll(el, 'iframe').filter(visible).length;
    const buttons = deepAll(el, BUTTONS).filter(visible).length;
    const worded = controls || frames ? true : CONSENT_WORDS.test(deepText(el, 3000));
    return {controls, frames, buttons, useful: controls > 0 || frames > 0 || (buttons > 0 && worded)};
  };
  const appeared = ({exclude}) => {
    const seen = window.__auditorSeen;
    if (!seen) return null;
    const skip = exclude ? byRef(exclude) : null;
    const fresh = deepAll(document.body || document.documentElement, '*').filter((el) => !seen.has(el) && el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE' && visible(el));
    const freshSet = new Set(fresh);
    const outermost = fresh.filter((el) => !freshSet.has(parentOf(el)) && !(skip && (deepContains(skip, el) || deepContains(el, skip))));
    const found = [];
    for (const el of outermost) {
      const r = el.getBoundingClientRect();
      if (r.width * r.height < 2000 && el.tagName !== 'IFRAME') continue;
      const info = el.tagName === 'IFRAME' ? {controls: 0, frames: 1, buttons: 0, useful: true} : interactive(el);
      if (info.useful) found.push({el, info});
    }
    if (!found.length) return null;
    found.sort((a, b) => (b.info.frames > 0) - (a.info.frames > 0) || b.info.controls - a.info.controls || b.info.buttons - a.info.buttons);
    let best = found[0].el;
    // Part of a layer that was already open (a banner expanding its settings): the layer is the panel.
    for (let n = parentOf(best), depth = 0; n && n !== document.body && depth < 8; n = parentOf(n), depth += 1) {
      const s = getComputedStyle(n);
      const dialog = /^(dialog|alertdialog)$/.test(n.getAttribute('role') || '') || n.getAttribute('aria-modal') === 'true' || (n.tagName === 'DIALOG' && n.open);
      if (dialog || s.position === 'fixed') {
        if (deepAll(n, BUTTONS).filter(visible).length > deepAll(best, BUTTONS).filter(visible).length) best = n;
        break;
      }
    }
    const frames = (best.tagName === 'IFRAME' ? [best] : deepAll(best, 'iframe')).filter(visible).map((f) => tag(f));
    return {ref: tag(best), found_by: `appeared after the click: ${describe(best)}`, selector: describe(best), frames};
  };
  const waitForAppeared = ({timeoutMs, exclude}) => watch(() => { const d = appeared({exclude}); return d ? {dialog: d} : null; }, timeoutMs, {dialog: null});

  const waitForDialog = ({timeoutMs, exclude}) => watch(() => { const d = findDialog({exclude}); return d ? {dialog: d} : null; }, timeoutMs, {dialog: null});

  const readForms = () => {
    const forms = [];
    const fieldInfo = (f) => {
      const label = labelOf(f) || collapse(f.getAttribute('placeholder'));
      return {name: (f.name || f.id || '').slice(0, 100), type: (f.type || f.tagName).toLowerCase(), label: label.slice(0, 200),
              required: !!(f.required || f.getAttribute('aria-required') === 'true' || /\*\s*$/.test(label))};
    };
    // A radio group is one choice (Yes / No, Accept / Decline), never a field to fill: one entry per group, named
    // by its legend, required only when the page marks it so.
    const radioGroup = (f, form) => {
      const members = f.name ? [...form.querySelectorAll(`input[type="radio"][name="${CSS.escape(f.name)}"]`)] : [f];
      const holder = f.closest('fieldset, [role="radiogroup"], [role="group"]');
      const legend = holder && holder.querySelector(':scope > legend');
      const label = collapse(legend ? legend.innerText || legend.textContent : '') || members.map(labelOf).join(' / ');
      return {name: (f.name || f.id || '').slice(0, 100), type: 'radio', label: label.slice(0, 200),
              required: members.some((m) => m.required || m.getAttribute('aria-required') === 'true')};
    };
    for (const form of deepAll(document, 'form')) {
      if (!rendered(form)) continue;
      const groups = new Set();
      const fields = [];
      for (const f of form.querySelectorAll('input, select, textarea')) {
        if (['hidden', 'submit', 'button', 'reset', 'image'].includes(f.type) || !rendered(f)) continue;
        if (f.type === 'radio') {
          const key = f.name || tag(f);
          if (!groups.has(key)) { groups.add(key); fields.push(radioGroup(f, form)); }
          continue;
        }
        fields.push(fieldInfo(f));
      }
      const submits = [...form.querySelectorAll('button, input[type="submit"], input[type="button"]')].filter(visible).map((b) => textOf(b) || collapse(b.value));
      forms.push({action: form.getAttribute('action') || '', method: (form.getAttribute('method') || 'get').toLowerCase(), fields, submit_texts: submits.slice(0, 10)});
    }
    return forms;
  };
  // Visible text as lines: the document's, then each open shadow root's (innerText stops at shadow boundaries).
  // `ref`: one element (a panel) instead of the whole document.
  const visibleBlocks = ({max, ref}) => {
    const blocks = [];
    const body = ref ? byRef(ref) : document.body || document.documentElement;
    if (!body) return blocks;
    if (body.innerText) blocks.push({where: ref ? 'panel' : 'document', text: body.innerText.slice(0, max)});
    for (const host of deepAll(body, '*')) {
      if (!host.shadowRoot || !rendered(host)) continue;
      const text = [...host.shadowRoot.children].filter((c) => c.innerText && rendered(c)).map((c) => c.innerText).join('\n');
      if (collapse(text)) blocks.push({where: `shadow root of ${describe(host)}`, text: text.slice(0, max)});
    }
    return blocks;
  };
  const pageFacts = () => ({
    title: document.title || '', text: deepText(document.body || document.documentElement, 20000),
    password_fields: deepAll(document, 'input[type="password"]').filter(rendered).length,
    forms: readForms(),
  });

  const findLinks = () => {
    const out = [];
    const inFooter = (el) => { for (let n = el; n; n = parentOf(n)) { if (n.tagName === 'FOOTER' || n.getAttribute('role') === 'contentinfo' || /footer/i.test(n.id || '') || /footer/i.test(typeof n.className === 'string' ? n.className : '')) return true; } return false; };
    for (const el of deepAll(document, 'a, button, [role="link"], [role="button"]')) {
      const text = textOf(el);
      const aria = collapse(el.getAttribute('aria-label'));
      const title = collapse(el.getAttribute('title'));
      if (!text && !aria && !title) continue;
      out.push({text, aria_label: aria, title, tag: el.tagName.toLowerCase(), href: el.tagName === 'A' ? (el.href || '') : '',
                target: el.getAttribute('target') || '', visible: visible(el), in_footer: inFooter(el), in_shadow_root: inShadow(el), ref: tag(el)});
      if (out.length > 3000) break;
    }
    return out;
  };

  // What the visitor's pointer would hit at the centre of the element, when it is not the element itself.
  const obstruction = ({ref}) => {
    const el = byRef(ref);
    if (!el) return {missing: true};
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    let hit = document.elementFromPoint(x, y);
    while (hit && hit.shadowRoot) { const inner = hit.shadowRoot.elementFromPoint(x, y); if (!inner || inner === hit) break; hit = inner; }
    if (!hit || deepContains(el, hit) || deepContains(hit, el)) return {obstructed: ''};
    return {obstructed: describe(hit)};
  };
  const jsClick = ({ref}) => { const el = byRef(ref); if (!el) return false; el.click(); return true; };
  const controlState = ({ref}) => {
    const el = byRef(ref);
    if (!el) return null;
    if (el.tagName === 'INPUT') return el.checked;
    if (el.hasAttribute('aria-checked')) return el.getAttribute('aria-checked') === 'true';
    if (el.hasAttribute('aria-pressed')) return el.getAttribute('aria-pressed') === 'true';
    return null;
  };
  const isVisible = ({ref}) => { const el = byRef(ref); return !!el && visible(el); };
  const viewportBox = ({ref}) => { const el = byRef(ref); return el ? box(el) : null; };
  const storage = () => {
    const out = {};
    try { for (let i = 0; i < localStorage.length && i < 200; i += 1) { const k = localStorage.key(i); out[k] = String(localStorage.getItem(k)).slice(0, 2000); } } catch (e) {}
    return out;
  };

  return {markSeen, appeared, waitForAppeared, visibleBlocks, scanBanners, waitForBanner, settleAnimations, readControls, findDialog, waitForDialog, pageFacts, findLinks,
          obstruction, jsClick, controlState, isVisible, viewportBox, storage, waitHidden};
})()
