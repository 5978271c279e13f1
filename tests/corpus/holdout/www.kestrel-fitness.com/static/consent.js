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

// Kestrel's own consent manager: a choice cookie (kf_consent), a banner, a settings dialog, and the US Privacy string.
var gpc = navigator.globalPrivacyControl === true;
function readChoice() {
  var raw = readCookie('kf_consent');
  if (!raw) { return null; }
  var choice = {};
  raw.split('|').forEach(function (pair) { var kv = pair.split(':'); choice[kv[0]] = kv[1] === '1'; });
  return choice;
}
function saveChoice(analytics, ads) {
  document.cookie = 'kf_consent=analytics:' + (analytics ? 1 : 0) + '|ads:' + (ads ? 1 : 0) + '; path=/; max-age=31536000';
  setUsPrivacy(!ads || gpc);
}
var choice = readChoice();
var adsAllowed = !gpc && (choice === null || choice.ads);
var analyticsAllowed = choice === null || choice.analytics;
setUsPrivacy(!adsAllowed);
if (analyticsAllowed) { loadScript('//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B'); }
if (adsAllowed) { loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); loadScript('//connect.facebook.net/en_US/fbevents.js'); }

function openSettings() {
  var current = readChoice() || { analytics: true, ads: !gpc };
  document.getElementById('kf-analytics').checked = current.analytics;
  document.getElementById('kf-ads').checked = current.ads && !gpc;
  document.getElementById('kf-settings').hidden = false;
}
document.addEventListener('DOMContentLoaded', function () {
  var banner = document.getElementById('kf-banner');
  if (readChoice() === null) { banner.hidden = false; }
  document.getElementById('kf-accept').onclick = function () { saveChoice(true, true); banner.hidden = true; };
  document.getElementById('kf-reject').onclick = function () { saveChoice(false, false); banner.hidden = true; };
  document.getElementById('kf-open').onclick = function () { banner.hidden = true; openSettings(); };
  document.getElementById('kf-save').onclick = function () {
    saveChoice(document.getElementById('kf-analytics').checked, document.getElementById('kf-ads').checked);
    document.getElementById('kf-settings').hidden = true;
    document.getElementById('kf-banner').hidden = true;
  };
  var opener = document.getElementById('open-cookie-settings');
  if (opener) { opener.onclick = openSettings; }
  var status = document.getElementById('gpc-status');
  if (status && gpc) { status.hidden = false; }
});
