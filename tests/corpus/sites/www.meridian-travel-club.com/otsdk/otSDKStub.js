function loadScript(src) {
  var script = document.createElement('script');
  script.async = true;
  script.src = src;
  document.head.appendChild(script);
}

// A re-implementation of the OneTrust CCPA set-up this site runs (no banner, footer link opens the Preference Center):
// OptanonConsent cookie in OneTrust's format, OnetrustActiveGroups, and the opt-out-signal notice inside the centre.
var gpc = navigator.globalPrivacyControl === true;
function cookieValue(name) {
  var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
  return match ? decodeURIComponent(match[1]) : null;
}
function storedGroups() {
  var raw = cookieValue('OptanonConsent');
  var groups = { C0001: 1, C0002: 1, C0004: gpc ? 0 : 1 };
  if (raw) {
    var match = raw.match(/(?:^|&)groups=([^&]*)/);
    if (match) { decodeURIComponent(match[1]).split(',').forEach(function (g) { var p = g.split(':'); groups[p[0]] = Number(p[1]); }); }
  }
  if (gpc) { groups.C0004 = 0; }
  return groups;
}
function writeConsent(groups, interacted) {
  var list = Object.keys(groups).map(function (id) { return id + ':' + groups[id]; }).join(',');
  var value = 'isGpcEnabled=' + (gpc ? 1 : 0) + '&datestamp=' + encodeURIComponent(new Date().toString()) +
    '&version=202504.1.0&browserGpcFlag=' + (gpc ? 1 : 0) + '&isIABGlobal=false&hosts=&consentId=4f7d2c1e-9a1b-4c55-8e0f-2d6b7a9c3e11' +
    '&interactionCount=' + (interacted ? 1 : 0) + '&isAnonUser=1&landingPath=NotLandingPage&groups=' + encodeURIComponent(list) +
    '&geolocation=US%3BCA&AwaitingReconsent=false';
  document.cookie = 'OptanonConsent=' + value + '; path=/; max-age=31536000';
  if (interacted) { document.cookie = 'OptanonAlertBoxClosed=' + new Date().toISOString() + '; path=/; max-age=31536000'; }
  window.OnetrustActiveGroups = ',' + Object.keys(groups).filter(function (id) { return groups[id]; }).join(',') + ',';
}
var groups = storedGroups();
writeConsent(groups, cookieValue('OptanonAlertBoxClosed') !== null);
loadScript('//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B');
if (groups.C0004) { loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); loadScript('//connect.facebook.net/en_US/fbevents.js'); }

function buildPreferenceCenter() {
  var sdk = document.createElement('div');
  sdk.id = 'onetrust-consent-sdk';
  sdk.innerHTML = '<div class="onetrust-pc-dark-filter ot-hide"></div>' +
    '<div id="onetrust-pc-sdk" class="otPcCenter ot-hide" role="dialog" aria-modal="true" aria-labelledby="ot-pc-title">' +
    '<div id="ot-pc-content" class="ot-pc-scrollbar">' +
    '<h2 id="ot-pc-title">Privacy Preference Center</h2>' +
    '<div class="ot-optout-signal ot-hide"><p>Opt-Out Preference Signal Honored</p></div>' +
    '<div id="ot-pc-desc">When you visit our website, we and our partners use cookies. Under California law, cookies used for targeted advertising may be a sale or sharing of your personal information. You can opt out below.</div>' +
    '<button class="ot-pc-refuse-all-handler">Reject All</button>' +
    '<h3 id="ot-category-title">Manage Consent Preferences</h3>' +
    '<div class="ot-accordion-layout ot-cat-item" data-optanongroupid="C0001"><h4 class="ot-cat-header" id="ot-header-id-C0001">Strictly Necessary Cookies</h4><div class="ot-always-active" id="ot-status-id-C0001">Always Active</div></div>' +
    '<div class="ot-accordion-layout ot-cat-item" data-optanongroupid="C0002"><h4 class="ot-cat-header" id="ot-header-id-C0002">Performance Cookies</h4>' +
    '<label class="ot-switch"><input type="checkbox" name="ot-group-id-C0002" id="ot-group-id-C0002" role="switch" class="category-switch-handler" data-optanongroupid="C0002" aria-labelledby="ot-header-id-C0002"><span class="ot-switch-nob"></span></label></div>' +
    '<div class="ot-accordion-layout ot-cat-item" data-optanongroupid="C0004"><h4 class="ot-cat-header" id="ot-header-id-C0004">Sale of Personal Data and Targeting Cookies</h4>' +
    '<label class="ot-switch"><input type="checkbox" name="ot-group-id-C0004" id="ot-group-id-C0004" role="switch" class="category-switch-handler" data-optanongroupid="C0004" aria-labelledby="ot-header-id-C0004"><span class="ot-switch-nob"></span></label>' +
    '<p class="ot-category-desc" id="ot-desc-id-C0004">Under the California Consumer Privacy Act, you have the right to opt out of the sale of your personal information and its sharing for cross-context behavioral advertising. Switch this off to opt out.</p></div>' +
    '</div><div class="ot-pc-footer"><button class="save-preference-btn-handler onetrust-close-btn-handler">Confirm My Choices</button></div>' +
    '<button id="close-pc-btn-handler" class="ot-close-icon" aria-label="Close">&times;</button></div>';
  document.body.appendChild(sdk);
  var style = document.createElement('style');
  style.textContent = '.ot-hide{display:none!important}#onetrust-pc-sdk{position:fixed;top:60px;left:50%;transform:translateX(-50%);width:560px;max-height:80vh;overflow:auto;background:#fff;padding:24px;border-radius:6px;z-index:1001;box-shadow:0 4px 30px rgba(0,0,0,.3)}' +
    '.onetrust-pc-dark-filter{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:1000}#onetrust-pc-sdk button{margin:8px 8px 8px 0;padding:8px 16px;background:#1f4e79;color:#fff;border:0;border-radius:3px;cursor:pointer}' +
    '#close-pc-btn-handler{position:absolute;top:8px;right:8px}.ot-cat-item{border-top:1px solid #ddd;padding:8px 0}.ot-optout-signal{background:#e6f4ea;padding:8px 12px;border-radius:4px;font-weight:600}';
  document.head.appendChild(style);
  var pc = document.getElementById('onetrust-pc-sdk');
  var filter = sdk.querySelector('.onetrust-pc-dark-filter');
  function close() { pc.classList.add('ot-hide'); filter.classList.add('ot-hide'); }
  function save(next) { writeConsent(next, true); close(); }
  document.getElementById('close-pc-btn-handler').onclick = close;
  sdk.querySelector('.ot-pc-refuse-all-handler').onclick = function () { save({ C0001: 1, C0002: 0, C0004: 0 }); };
  sdk.querySelector('.save-preference-btn-handler').onclick = function () {
    save({ C0001: 1, C0002: document.getElementById('ot-group-id-C0002').checked ? 1 : 0,
           C0004: document.getElementById('ot-group-id-C0004').checked && !gpc ? 1 : 0 });
  };
  window.OneTrust = { ToggleInfoDisplay: function () {
    var current = storedGroups();
    document.getElementById('ot-group-id-C0002').checked = !!current.C0002;
    document.getElementById('ot-group-id-C0004').checked = !!current.C0004;
    sdk.querySelector('.ot-optout-signal').classList.toggle('ot-hide', !gpc);
    pc.classList.remove('ot-hide'); filter.classList.remove('ot-hide');
  } };
  document.querySelectorAll('.ot-sdk-show-settings').forEach(function (link) {
    link.addEventListener('click', function (event) { event.preventDefault(); window.OneTrust.ToggleInfoDisplay(); });
  });
}
document.addEventListener('DOMContentLoaded', buildPreferenceCenter);
