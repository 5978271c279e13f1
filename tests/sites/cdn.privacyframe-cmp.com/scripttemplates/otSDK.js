/* A OneTrust-style consent SDK for fixture sites, written for the auditor's tests.
 *
 * Not OneTrust's code: it re-implements the DOM ids and classes, the OptanonConsent cookie format and the
 * behaviour described in shared/reference/cmps.md section 4 (banner #onetrust-banner-sdk, preference
 * center #onetrust-pc-sdk with category-switch-handler inputs, .onetrust-pc-dark-filter, the
 * .ot-sdk-show-settings text rewrite, optanon-category-* script blocking, per-group GPC).
 *
 * Configured by window.OTFixture before this script loads:
 *   groups: [{id, name, description, alwaysActive, gpc}]   (opt-out defaults: every group starts on)
 *   bannerText, accept, reject (null = no reject button), settings, idsLie, pcRejectAll,
 *   saveWorks (false: "Confirm My Choices" closes the panel and stores nothing), darkFilterWithBanner,
 *   cookieSettingText, delayMs.
 */
(function () {
  var cfg = window.OTFixture || {};
  var groups = cfg.groups || [];
  var state = {};
  var gpcApplied = false;
  var gpc = !!navigator.globalPrivacyControl;

  function readCookie(name) {
    var parts = document.cookie.split('; ');
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return null;
  }
  function writeCookie(name, value) {
    document.cookie = name + '=' + value + '; path=/; max-age=31536000; SameSite=Lax';
  }
  function parseConsent(raw) {
    var out = {};
    raw.split('&').forEach(function (pair) {
      var eq = pair.indexOf('=');
      out[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
    });
    return out;
  }
  function groupsString() {
    return groups.map(function (g) { return g.id + ':' + (state[g.id] ? 1 : 0); }).join(',');
  }
  function saveConsent(interactionCount, intType) {
    var fields = [
      ['isGpcEnabled', gpcApplied ? '1' : '0'],
      ['datestamp', new Date().toString()],
      ['version', '202504.1.0'],
      ['browserGpcFlag', gpc ? '1' : '0'],
      ['isIABGlobal', 'false'],
      ['hosts', ''],
      ['consentId', consentId],
      ['interactionCount', String(interactionCount)],
      ['isAnonUser', '1'],
      ['landingPath', interactionCount ? 'NotLandingPage' : location.href],
      ['groups', groupsString()],
      ['geolocation', 'US;CA'],
      ['AwaitingReconsent', 'false'],
    ];
    if (intType) fields.push(['intType', String(intType)]);
    writeCookie('OptanonConsent', fields.map(function (f) { return f[0] + '=' + encodeURIComponent(f[1]); }).join('&'));
  }
  function publishActiveGroups() {
    var active = groups.filter(function (g) { return state[g.id]; }).map(function (g) { return g.id; });
    window.OnetrustActiveGroups = ',' + active.join(',') + ',';
    window.OptanonActiveGroups = window.OnetrustActiveGroups;
  }
  // Scripts tagged type="text/plain" class="optanon-category-X" run only when group X is active.
  function releaseScripts() {
    var blocked = document.querySelectorAll('script[type="text/plain"][class*="optanon-category-"]');
    for (var i = 0; i < blocked.length; i++) {
      var el = blocked[i];
      var ids = el.className.replace(/.*optanon-category-/, '').split('-').filter(Boolean);
      var allowed = ids.every(function (id) { return state[id]; });
      if (!allowed) continue;
      var script = document.createElement('script');
      if (el.getAttribute('src')) script.src = el.getAttribute('src');
      else script.text = el.text;
      el.parentNode.replaceChild(script, el);
    }
  }

  var existing = readCookie('OptanonConsent');
  var consentId = 'f1x7' + Math.random().toString(16).slice(2, 10);
  if (existing) {
    var parsed = parseConsent(existing);
    consentId = parsed.consentId || consentId;
    (parsed.groups || '').split(',').forEach(function (item) {
      var bits = item.split(':');
      if (bits.length === 2) state[bits[0]] = bits[1] === '1';
    });
    groups.forEach(function (g) { if (!(g.id in state)) state[g.id] = true; });
    gpcApplied = parsed.isGpcEnabled === '1';
  } else {
    groups.forEach(function (g) { state[g.id] = true; });
  }
  if (gpc) {
    groups.forEach(function (g) { if (g.gpc && !g.alwaysActive) { state[g.id] = false; gpcApplied = true; } });
  }
  if (!existing) saveConsent(0);
  else if (gpcApplied) saveConsent(parseInt(parseConsent(existing).interactionCount || '0', 10));
  publishActiveGroups();

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'html') node.innerHTML = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  var css = [
    '#onetrust-banner-sdk{position:fixed;bottom:0;left:0;right:0;z-index:2147483646;background:#fff;color:#222;',
    'box-shadow:0 -2px 12px rgba(0,0,0,.25);padding:20px 32px;font:14px/1.5 Arial,sans-serif;display:flex;gap:24px;align-items:center}',
    '#onetrust-banner-sdk.ot-hide,#onetrust-pc-sdk.ot-hide,.onetrust-pc-dark-filter.ot-hide,#ot-sdk-btn-floating.ot-hide{display:none!important}',
    '#onetrust-policy{flex:1}#onetrust-policy-title{font-weight:bold;margin:0 0 6px}',
    '#onetrust-button-group{display:flex;gap:10px;flex-wrap:wrap}',
    '#onetrust-banner-sdk button{padding:10px 18px;border:1px solid #1f5fbf;border-radius:3px;font-size:14px;cursor:pointer}',
    '.ot-primary{background:#1f5fbf;color:#fff}.ot-secondary{background:#fff;color:#1f5fbf}',
    '.onetrust-pc-dark-filter{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:2147483645}',
    '#onetrust-pc-sdk{position:fixed;top:0;left:0;bottom:0;width:440px;background:#fff;z-index:2147483647;overflow:auto;',
    'font:14px/1.45 Arial,sans-serif;color:#222;box-shadow:2px 0 12px rgba(0,0,0,.3)}',
    '#ot-pc-content{padding:20px 24px 90px}#ot-pc-title{font-size:20px;margin:0 0 8px}',
    '#onetrust-pc-sdk button{padding:9px 16px;border:1px solid #1f5fbf;border-radius:3px;cursor:pointer;font-size:14px}',
    '.ot-cat-item{border-top:1px solid #ddd;padding:10px 0}.ot-acc-hdr{display:flex;align-items:center;gap:10px}',
    '.ot-cat-header{flex:1;margin:0;font-size:15px}.ot-always-active{color:#1f5fbf;font-weight:bold}',
    '.ot-tgl{position:relative}.ot-tgl input{position:absolute;opacity:0;width:1px;height:1px;margin:0}',
    '.ot-switch{display:inline-block;width:44px;height:24px;border-radius:12px;background:#bbb;position:relative;cursor:pointer}',
    '.ot-switch-nob{position:absolute;top:3px;left:3px;width:18px;height:18px;border-radius:50%;background:#fff;transition:left .15s}',
    '.ot-tgl input:checked + .ot-switch{background:#1f5fbf}.ot-tgl input:checked + .ot-switch .ot-switch-nob{left:23px}',
    '.ot-label-txt{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}',
    '.ot-acc-grpdesc{font-size:13px;color:#555;margin:6px 0 0}',
    '.ot-pc-footer{position:fixed;bottom:0;left:0;width:392px;padding:14px 24px;background:#f6f6f6;border-top:1px solid #ddd}',
    '#close-pc-btn-handler{position:absolute;top:12px;right:12px;border:none!important;background:none;font-size:18px}',
    '#ot-sdk-btn-floating{position:fixed;bottom:16px;left:16px;width:44px;height:44px;border-radius:50%;border:none;',
    'background:#1f5fbf;color:#fff;font-size:20px;z-index:2147483640;cursor:pointer}',
  ].join('');

  function render() {
    document.head.appendChild(el('style', {text: css}));
    var root = el('div', {id: 'onetrust-consent-sdk', 'data-nosnippet': 'true'});
    var ids = cfg.idsLie
      ? {accept: 'onetrust-pc-btn-handler', reject: 'onetrust-accept-btn-handler', settings: 'onetrust-reject-all-handler'}
      : {accept: 'onetrust-accept-btn-handler', reject: 'onetrust-reject-all-handler', settings: 'onetrust-pc-btn-handler'};
    var buttons = [
      el('button', {id: ids.accept, 'class': 'ot-primary', text: cfg.accept || 'Accept All Cookies'}),
      cfg.reject ? el('button', {id: ids.reject, 'class': 'ot-primary', text: cfg.reject}) : null,
      el('button', {id: ids.settings, 'class': 'ot-secondary', text: cfg.settings || 'Cookie Settings'}),
    ];
    var banner = el('div', {id: 'onetrust-banner-sdk', 'class': 'otFloatingFlat ot-hide', role: 'region', 'aria-label': 'Cookie banner'}, [
      el('div', {id: 'onetrust-policy'}, [
        el('h2', {id: 'onetrust-policy-title', text: cfg.bannerTitle || 'We value your privacy'}),
        el('p', {id: 'onetrust-policy-text', html: cfg.bannerText || ''}),
      ]),
      el('div', {id: 'onetrust-button-group-parent', 'class': cfg.reject ? 'has-reject-all-button' : ''}, [
        el('div', {id: 'onetrust-button-group'}, buttons),
      ]),
    ]);
    var filter = el('div', {'class': 'onetrust-pc-dark-filter ot-hide'});
    var categories = groups.map(function (g) {
      var control = g.alwaysActive
        ? el('div', {id: 'ot-status-id-' + g.id, 'class': 'ot-always-active', text: 'Always Active'})
        : el('div', {'class': 'ot-tgl'}, [
            el('input', {type: 'checkbox', name: 'ot-group-id-' + g.id, id: 'ot-group-id-' + g.id, role: 'switch',
                         'class': 'category-switch-handler', 'data-optanongroupid': g.id, 'aria-labelledby': 'ot-header-id-' + g.id}),
            el('label', {'class': 'ot-switch', 'for': 'ot-group-id-' + g.id}, [
              el('span', {'class': 'ot-switch-nob'}), el('span', {'class': 'ot-label-txt', text: g.name}),
            ]),
          ]);
      return el('div', {'class': 'ot-accordion-layout ot-cat-item', 'data-optanongroupid': g.id}, [
        el('div', {'class': 'ot-acc-hdr'}, [el('h4', {'class': 'ot-cat-header', id: 'ot-header-id-' + g.id, text: g.name}), control]),
        el('div', {'class': 'ot-acc-grpcntr', id: 'ot-desc-id-' + g.id}, [el('p', {'class': 'ot-acc-grpdesc', text: g.description || ''})]),
      ]);
    });
    var pc = el('div', {id: 'onetrust-pc-sdk', 'class': 'otPcPanel ot-hide', role: 'region', 'aria-label': 'Preference center'}, [
      el('div', {id: 'ot-pc-content'}, [
        el('button', {id: 'close-pc-btn-handler', 'aria-label': 'Close', text: '\u2715'}),
        el('h2', {id: 'ot-pc-title', text: cfg.pcTitle || 'Privacy Preference Center'}),
        el('div', {id: 'ot-pc-desc', html: cfg.pcText || ''}),
        el('div', {'class': 'ot-pc-actions'}, [
          el('button', {id: 'accept-recommended-btn-handler', 'class': 'ot-primary', text: 'Allow All'}),
          cfg.pcRejectAll ? el('button', {'class': 'ot-pc-refuse-all-handler ot-primary', text: 'Reject All'}) : null,
        ]),
        el('h3', {id: 'ot-category-title', text: 'Manage Consent Preferences'}),
      ].concat(categories)),
      el('div', {'class': 'ot-pc-footer'}, [
        el('button', {'class': 'save-preference-btn-handler onetrust-close-btn-handler ot-primary', text: 'Confirm My Choices'}),
      ]),
    ]);
    var floating = el('button', {id: 'ot-sdk-btn-floating', 'class': 'ot-floating-button ot-hide', title: 'Privacy Preferences', 'aria-label': 'Open Privacy Preferences', text: '\u2699'});
    [banner, filter, pc, floating].forEach(function (n) { root.appendChild(n); });
    document.body.appendChild(root);

    function syncInputs() {
      groups.forEach(function (g) {
        var input = document.getElementById('ot-group-id-' + g.id);
        if (input) input.checked = !!state[g.id];
      });
    }
    function show(node, on) { node.classList.toggle('ot-hide', !on); }
    function closeAll(interacted) {
      show(pc, false); show(banner, false); show(filter, false); show(floating, true);
      if (interacted) writeCookie('OptanonAlertBoxClosed', new Date().toISOString());
    }
    function openPc() {
      syncInputs(); show(pc, true); show(filter, true);
    }
    function decide(value) {
      groups.forEach(function (g) { state[g.id] = g.alwaysActive ? true : value; });
      saveConsent(1, value ? 1 : 2); publishActiveGroups(); closeAll(true); releaseScripts();
    }
    document.getElementById(ids.accept).addEventListener('click', function () { decide(true); });
    if (cfg.reject) document.getElementById(ids.reject).addEventListener('click', function () { decide(false); });
    document.getElementById(ids.settings).addEventListener('click', openPc);
    document.getElementById('accept-recommended-btn-handler').addEventListener('click', function () { decide(true); });
    var refuse = pc.querySelector('.ot-pc-refuse-all-handler');
    if (refuse) refuse.addEventListener('click', function () { decide(false); });
    document.getElementById('close-pc-btn-handler').addEventListener('click', function () { show(pc, false); show(filter, !banner.classList.contains('ot-hide') && !!cfg.darkFilterWithBanner); });
    pc.querySelector('.save-preference-btn-handler').addEventListener('click', function () {
      if (cfg.saveWorks !== false) {
        groups.forEach(function (g) {
          var input = document.getElementById('ot-group-id-' + g.id);
          state[g.id] = g.alwaysActive ? true : !!(input && input.checked);
        });
        saveConsent(1, 6);
        publishActiveGroups();
      } else {
        saveConsent(1, 6);  // the misconfigured tenant: the interaction is stored, the choices are not
      }
      closeAll(true);
    });
    floating.addEventListener('click', openPc);
    // insertCookieSettingText: every settings link shows the tenant's text, whatever the page's HTML said.
    var links = document.querySelectorAll('.ot-sdk-show-settings, .optanon-toggle-display');
    for (var i = 0; i < links.length; i++) {
      if (cfg.cookieSettingText) links[i].textContent = cfg.cookieSettingText;
      links[i].addEventListener('click', function (event) { event.preventDefault(); openPc(); });
    }
    window.OneTrust = window.Optanon = {
      ToggleInfoDisplay: openPc,
      AllowAll: function () { decide(true); },
      RejectAll: function () { decide(false); },
      Close: function () { closeAll(false); },
      IsAlertBoxClosed: function () { return !!readCookie('OptanonAlertBoxClosed'); },
      GetDomainData: function () { return {Groups: groups}; },
    };
    if (!readCookie('OptanonAlertBoxClosed')) {
      show(banner, true);
      if (cfg.darkFilterWithBanner) show(filter, true);
    } else {
      show(floating, true);
    }
    releaseScripts();
    if (typeof window.OptanonWrapper === 'function') window.OptanonWrapper();
  }

  function start() {
    if (document.body) render();
    else document.addEventListener('DOMContentLoaded', render);
  }
  if (cfg.delayMs) setTimeout(start, cfg.delayMs);
  else start();
})();
