function loadScript(src) {
  var script = document.createElement('script');
  script.async = true;
  script.src = src;
  document.head.appendChild(script);
}

// A re-implementation of the Usercentrics browser UI this site runs (CCPA opt-out set-up): the UI lives in an open
// shadow root under #usercentrics-root, the consent is kept in localStorage (uc_settings, uc_user_interaction) and is
// written on the first visit with every service on. The site does not read Global Privacy Control.
var SERVICES = [
  { id: 'HkocEodjb7', name: 'Google Analytics', category: 'functional', src: '//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B' },
  { id: 'S1_9Vsuj-Q', name: 'Google Ads', category: 'marketing', src: '//securepubads.g.doubleclick.net/tag/js/gpt.js' },
  { id: 'ko1w5PpFl', name: 'Facebook Pixel', category: 'marketing', src: '//connect.facebook.net/en_US/fbevents.js' }
];
function readSettings() { try { return JSON.parse(localStorage.getItem('uc_settings')); } catch (e) { return null; } }
function writeSettings(statusById, interacted) {
  var now = Date.now();
  localStorage.setItem('uc_settings', JSON.stringify({ controllerId: 'c3a1f6e2b9d04e7f8a5b', id: 'pGrV3_kQz', language: 'en', version: '14.2.0',
    services: SERVICES.map(function (s) { return { id: s.id, name: s.name, status: statusById[s.id], version: '1.0.3',
      history: [{ action: interacted ? 'onUpdateServices' : 'onInitialPageLoad', language: 'en', status: statusById[s.id], timestamp: now, type: interacted ? 'explicit' : 'implicit', versions: { application: '14.2.0', service: '1.0.3', settings: '12' } }] }; }) }));
  localStorage.setItem('uc_user_interaction', interacted ? 'true' : 'false');
}
var settings = readSettings();
if (!settings) {
  var all = {}; SERVICES.forEach(function (s) { all[s.id] = true; });
  writeSettings(all, false);
  settings = readSettings();
}
var serviceStatus = {}; settings.services.forEach(function (s) { serviceStatus[s.id] = s.status; });
SERVICES.forEach(function (s) { if (serviceStatus[s.id]) { loadScript(s.src); } });

function render() {
  var host = document.getElementById('usercentrics-root');
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML = '<style>.b{position:fixed;left:20px;bottom:20px;width:420px;background:#fff;border-radius:8px;box-shadow:0 4px 24px rgba(0,0,0,.25);padding:20px;font:14px/1.5 sans-serif;z-index:99}' +
    '.b button{margin:6px 6px 0 0;padding:9px 14px;border-radius:4px;border:1px solid #166534;background:#166534;color:#fff;cursor:pointer}.b button.s{background:#fff;color:#166534}.row{display:flex;justify-content:space-between;border-top:1px solid #eee;padding:6px 0}</style>' +
    '<div class="b" id="uc-banner" role="dialog" aria-label="Privacy Settings" data-testid="uc-default-banner"><h3>Privacy Settings</h3>' +
    '<p>We use cookies and similar technologies for analytics and to show you ads on other sites, which may be a sale or sharing of personal information.</p>' +
    '<button data-testid="uc-accept-all-button">Accept All</button><button class="s" data-testid="uc-deny-all-button">Deny</button><button class="s" data-testid="uc-more-button">More Information</button></div>' +
    '<div class="b" id="uc-layer2" role="dialog" aria-label="Privacy Settings" hidden><h3>Privacy Settings</h3><p>Switch off marketing services to opt out of the sale and sharing of your personal information.</p>' +
    SERVICES.map(function (s) { return '<div class="row"><label for="t-' + s.id + '">' + s.name + ' (' + s.category + ')</label><input type="checkbox" role="switch" id="t-' + s.id + '" data-id="' + s.id + '"></div>'; }).join('') +
    '<button data-testid="uc-save-button">Save Settings</button><button class="s" data-testid="uc-deny-all-button">Deny All</button></div>';
  var banner = root.getElementById('uc-banner'), layer = root.getElementById('uc-layer2');
  if (localStorage.getItem('uc_user_interaction') === 'true') { banner.hidden = true; }
  function apply(statusById) { writeSettings(statusById, true); banner.hidden = true; layer.hidden = true; }
  function allTo(value) { var s = {}; SERVICES.forEach(function (x) { s[x.id] = value || x.category === 'functional' && false; }); return s; }
  root.querySelector('[data-testid=uc-accept-all-button]').onclick = function () { apply(allTo(true)); };
  root.querySelectorAll('[data-testid=uc-deny-all-button]').forEach(function (b) { b.onclick = function () { apply(allTo(false)); }; });
  root.querySelector('[data-testid=uc-save-button]').onclick = function () {
    var s = {}; root.querySelectorAll('input[data-id]').forEach(function (i) { s[i.dataset.id] = i.checked; }); apply(s);
  };
  function showSecondLayer() {
    var current = {}; readSettings().services.forEach(function (x) { current[x.id] = x.status; });
    root.querySelectorAll('input[data-id]').forEach(function (i) { i.checked = current[i.dataset.id]; });
    banner.hidden = true; layer.hidden = false;
  }
  root.querySelector('[data-testid=uc-more-button]').onclick = showSecondLayer;
  window.UC_UI = { showSecondLayer: showSecondLayer, isInitialized: function () { return true; },
    denyAllConsents: function () { apply(allTo(false)); }, acceptAllConsents: function () { apply(allTo(true)); } };
  var style = document.createElement('style'); style.textContent = '#usercentrics-root [hidden]{display:none}'; document.head.appendChild(style);
  root.querySelectorAll('[hidden]').forEach(function () {});
  var hide = document.createElement('style'); hide.textContent = '[hidden]{display:none!important}'; root.appendChild(hide);
}
document.addEventListener('DOMContentLoaded', render);
