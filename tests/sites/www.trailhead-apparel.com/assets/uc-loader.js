/* A Usercentrics-style consent manager for a fixture site, written for the auditor's tests (not Usercentrics'
 * code). Like Usercentrics v3 it renders everything inside an open shadow root under #usercentrics-root
 * (shared/reference/cmps.md trap 7), so document.querySelector cannot see the banner or its buttons.
 * Consent is kept in localStorage "uc_settings"; US opt-out defaults: every category starts accepted.
 * Marketing tags load only while the "Marketing" category is accepted.
 */
(function () {
  var KEY = 'uc_settings';
  var categories = [
    {id: 'essential', name: 'Essential', essential: true, text: 'Required for the shop to work: cart, checkout and security.'},
    {id: 'functional', name: 'Functional', text: 'Remember your size and region.'},
    {id: 'marketing', name: 'Marketing', text: 'Our advertising partners use these to show you personalized ads on other sites, which may be a sale or sharing of personal information.'},
  ];
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(KEY) || 'null'); } catch (e) { stored = null; }
  var consent = {};
  categories.forEach(function (c) { consent[c.id] = stored ? !!stored.consents[c.id] : true; });
  if (navigator.globalPrivacyControl && !stored) consent.marketing = false;

  function loadMarketing() {
    if (!consent.marketing) return;
    ['http://securepubads.g.doubleclick.net/tag/js/gpt.js', 'http://static.criteo.net/js/ld/publishertag.js'].forEach(function (src) {
      var s = document.createElement('script'); s.src = src; document.head.appendChild(s);
    });
  }
  function save(decided) {
    localStorage.setItem(KEY, JSON.stringify({version: 3, decided: decided, consents: consent}));
  }

  function build() {
    var host = document.createElement('div');
    host.id = 'usercentrics-root';
    document.body.appendChild(host);
    var root = host.attachShadow({mode: 'open'});
    root.innerHTML = [
      '<style>',
      '.banner{position:fixed;left:24px;bottom:24px;width:420px;background:#fff;color:#222;border-radius:8px;',
      'box-shadow:0 4px 24px rgba(0,0,0,.3);padding:20px;font:14px/1.5 Arial,sans-serif;z-index:99999}',
      '.row{display:flex;gap:8px;margin-top:12px}button{flex:1;padding:10px;border-radius:6px;border:1px solid #0045a5;',
      'font-size:14px;cursor:pointer;background:#0045a5;color:#fff}button.ghost{background:#fff;color:#0045a5}',
      '.layer{position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:100000;display:flex;align-items:center;justify-content:center}',
      '.modal{background:#fff;width:520px;border-radius:8px;padding:24px;font:14px/1.5 Arial,sans-serif;color:#222}',
      '.cat{display:flex;justify-content:space-between;align-items:center;border-top:1px solid #ddd;padding:10px 0}',
      '.cat p{margin:2px 0 0;color:#555;font-size:13px}[hidden]{display:none!important}',
      '</style>',
      '<div class="banner" data-testid="uc-banner" role="region" aria-label="Privacy settings" hidden>',
      '<strong>We value your privacy</strong>',
      '<p>We use cookies and share information with advertising partners to personalize ads. You can accept, deny or choose.</p>',
      '<div class="row"><button class="ghost" data-testid="uc-more-button">Settings</button>',
      '<button data-testid="uc-deny-all-button">Deny</button>',
      '<button data-testid="uc-accept-all-button">Accept All</button></div></div>',
      '<div class="layer" hidden><div class="modal" role="dialog" aria-modal="true" aria-labelledby="uc-title">',
      '<h2 id="uc-title">Privacy Settings</h2>',
      '<p>Choose which categories you allow. Switching off Marketing opts you out of the sale and sharing of your personal information.</p>',
      categories.map(function (c) {
        return '<div class="cat"><div><strong id="uc-h-' + c.id + '">' + c.name + '</strong><p>' + c.text + '</p></div>' +
          '<input type="checkbox" role="switch" data-category="' + c.id + '" aria-labelledby="uc-h-' + c.id + '"' +
          (c.essential ? ' disabled' : '') + '></div>';
      }).join(''),
      '<div class="row"><button class="ghost" data-testid="uc-deny-all-button">Deny All</button>',
      '<button class="ghost" data-testid="uc-save-button">Save Settings</button>',
      '<button data-testid="uc-accept-all-button">Accept All</button></div></div></div>',
    ].join('');
    var banner = root.querySelector('.banner');
    var layer = root.querySelector('.layer');
    function sync() {
      root.querySelectorAll('input[data-category]').forEach(function (input) { input.checked = consent[input.getAttribute('data-category')]; });
    }
    function close() { banner.hidden = true; layer.hidden = true; }
    function all(value) {
      categories.forEach(function (c) { consent[c.id] = c.essential ? true : value; });
      save(true); close();
    }
    root.querySelectorAll('[data-testid=uc-accept-all-button]').forEach(function (b) { b.addEventListener('click', function () { all(true); loadMarketing(); }); });
    root.querySelectorAll('[data-testid=uc-deny-all-button]').forEach(function (b) { b.addEventListener('click', function () { all(false); }); });
    root.querySelector('[data-testid=uc-more-button]').addEventListener('click', function () { sync(); layer.hidden = false; });
    root.querySelector('[data-testid=uc-save-button]').addEventListener('click', function () {
      root.querySelectorAll('input[data-category]').forEach(function (input) { consent[input.getAttribute('data-category')] = input.checked; });
      save(true); close();
    });
    window.UC_UI = {
      showSecondLayer: function () { sync(); layer.hidden = false; },
      acceptAllConsents: function () { all(true); },
      denyAllConsents: function () { all(false); },
      areAllConsentsAccepted: function () { return categories.every(function (c) { return consent[c.id]; }); },
    };
    if (!stored || !stored.decided) banner.hidden = false;
  }
  loadMarketing();
  if (document.body) build(); else document.addEventListener('DOMContentLoaded', build);
})();
