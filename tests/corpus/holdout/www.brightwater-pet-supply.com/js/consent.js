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

// Orejime (DSFR theme) with advertising running by default; GPC and a declined "ads" purpose both opt out.
var gpc = navigator.globalPrivacyControl === true;
function storedConsents() {
  try { return JSON.parse(readCookie('orejime')); } catch (e) { return null; }
}
function syncUsPrivacy() {
  var stored = storedConsents();
  setUsPrivacy(gpc || (stored !== null && stored.ads === false));
}
syncUsPrivacy();
window.orejimeConfig = {
  privacyPolicyUrl: '/privacy',
  cookie: { name: 'orejime' },
  purposes: [
    { id: 'analytics', title: 'Audience measurement', description: 'Google Analytics counts visits.', cookies: ['_ga'], default: true, isExempt: true },
    { id: 'ads', title: 'Advertising (sale or sharing of personal information)', description: 'Google Ad Manager and the Meta Pixel show you our ads on other sites.', cookies: ['__gads', '_fbp'], default: !gpc, isExempt: !gpc }
  ]
};
document.addEventListener('DOMContentLoaded', function () {
  if (gpc) { document.getElementById('gpc-status').hidden = false; }
});
document.addEventListener('click', function () { setTimeout(syncUsPrivacy, 50); }, true);
