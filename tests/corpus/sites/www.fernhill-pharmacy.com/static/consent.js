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

// Fernhill's own consent manager: a choice cookie (fh_consent), a banner, a settings dialog, and the US Privacy string.
var gpc = navigator.globalPrivacyControl === true;
function readChoice() {
  var raw = readCookie('fh_consent');
  if (!raw) { return null; }
  var choice = {};
  raw.split('|').forEach(function (pair) { var kv = pair.split(':'); choice[kv[0]] = kv[1] === '1'; });
  return choice;
}
function saveChoice(analytics, ads) {
  document.cookie = 'fh_consent=analytics:' + (analytics ? 1 : 0) + '|ads:' + (ads ? 1 : 0) + '; path=/; max-age=31536000';
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
  document.getElementById('fh-analytics').checked = current.analytics;
  document.getElementById('fh-ads').checked = current.ads && !gpc;
  document.getElementById('fh-settings').hidden = false;
}
document.addEventListener('DOMContentLoaded', function () {
  var banner = document.getElementById('fh-banner');
  if (readChoice() === null) { banner.hidden = false; }
  document.getElementById('fh-accept').onclick = function () { saveChoice(true, true); banner.hidden = true; };
  document.getElementById('fh-reject').onclick = function () { saveChoice(false, false); banner.hidden = true; };
  document.getElementById('fh-open').onclick = function () { banner.hidden = true; openSettings(); };
  document.getElementById('fh-save').onclick = function () {
    saveChoice(document.getElementById('fh-analytics').checked, document.getElementById('fh-ads').checked);
    document.getElementById('fh-settings').hidden = true;
    document.getElementById('fh-banner').hidden = true;
  };
  var opener = document.getElementById('open-cookie-settings');
  if (opener) { opener.onclick = openSettings; }
  var status = document.getElementById('gpc-status');
  if (status && gpc) { status.hidden = false; }
});
