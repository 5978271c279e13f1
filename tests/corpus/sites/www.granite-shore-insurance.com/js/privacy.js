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

var gpc = navigator.globalPrivacyControl === true;
setUsPrivacy(gpc);
if (!gpc) { loadScript('//connect.facebook.net/en_US/fbevents.js'); loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); }
document.addEventListener('DOMContentLoaded', function () { if (gpc) { document.getElementById('gpc-status').hidden = false; } });
