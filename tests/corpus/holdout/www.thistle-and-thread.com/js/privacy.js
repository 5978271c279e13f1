// IAB US Privacy string: the usprivacy cookie and the __uspapi function ad tags call.
function readCookie(name) {
  var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
  return match ? decodeURIComponent(match[1]) : null;
}
function setUsPrivacy(optedOut) {
  document.cookie = 'usprivacy=1Y' + (optedOut ? 'Y' : 'N') + 'N; path=/; max-age=31536000';
}
window.__uspapi = function (command, version, callback) {
  var usp = readCookie('usprivacy');
  if (command === 'getUSPData' && usp) { callback({ version: 1, uspString: usp }, true); } else { callback(null, false); }
};

function loadScript(src) {
  var script = document.createElement('script');
  script.async = true;
  script.src = src;
  document.head.appendChild(script);
}

// <privacy-status>: the footer widget that reports the GPC result, in an open shadow root.
customElements.define('privacy-status', class extends HTMLElement {
  connectedCallback() {
    var root = this.attachShadow({ mode: 'open' });
    root.innerHTML = navigator.globalPrivacyControl === true
      ? '<style>p{margin:10px 0;padding:6px 10px;background:#eef7ee;border-radius:4px}</style><p>Opt-Out Preference Signal Honored</p>' : '';
  }
});
// Thistle & Thread's opt-out: one switch on /do-not-sell, remembered in tt_optout; GPC counts as an opt-out.
var gpc = navigator.globalPrivacyControl === true;
var optedOut = gpc || readCookie('tt_optout') === '1';
setUsPrivacy(optedOut);
loadScript('//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B');
if (!optedOut) {
  loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js');
  loadScript('//static.criteo.net/js/ld/publishertag.js');
}
document.addEventListener('DOMContentLoaded', function () {
  var sw = document.getElementById('sale-switch');
  if (!sw) { return; }
  function show(allowed) {
    sw.setAttribute('aria-checked', allowed ? 'true' : 'false');
    document.getElementById('sale-state').textContent = allowed ? 'Allowed' : 'Opted out';
  }
  show(!optedOut);
  sw.onclick = function () { show(sw.getAttribute('aria-checked') !== 'true'); };
  document.getElementById('save-choice').onclick = function () {
    var out = sw.getAttribute('aria-checked') !== 'true' || gpc;
    document.cookie = 'tt_optout=' + (out ? '1' : '0') + '; path=/; max-age=31536000';
    setUsPrivacy(out);
    document.getElementById('saved').hidden = false;
  };
});
