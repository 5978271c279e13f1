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

// A re-implementation of the TrustArc consent manager this site runs: the footer's #teconsent link opens the
// preference manager in an iframe from consent-pref.trustarc.com, which posts the choice back; the choice is kept in
// cmapi_cookie_privacy / notice_preferences ("permit 1 2 3": required, functional, advertising).
var gpc = navigator.globalPrivacyControl === true;
var stored = readCookie('cmapi_cookie_privacy');
var adsAllowed = !gpc && (stored === null || stored.indexOf('3') >= 0);
setUsPrivacy(!adsAllowed);
if (adsAllowed) { loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); loadScript('//connect.facebook.net/en_US/fbevents.js'); }
function saveLevels(levels) {
  document.cookie = 'notice_preferences=' + (levels.length - 1) + ':; path=/; max-age=31536000';
  document.cookie = 'cmapi_cookie_privacy=permit ' + levels.join(' ') + '; path=/; max-age=31536000';
  document.cookie = 'notice_behavior=expressed,us; path=/; max-age=31536000';
  setUsPrivacy(levels.indexOf(3) < 0 || gpc);
}
window.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.source !== 'preference_manager') { return; }
  if (data.message === 'submit_preferences') { saveLevels(data.levels); }
  if (data.message === 'submit_preferences' || data.message === 'remove_iframe') {
    var box = document.querySelector('.truste_box_overlay'); if (box) { box.remove(); }
    var overlay = document.querySelector('.truste_overlay'); if (overlay) { overlay.remove(); }
  }
});
function showPreferences() {
  var overlay = document.createElement('div');
  overlay.className = 'truste_overlay';
  overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:1000';
  var box = document.createElement('div');
  box.className = 'truste_box_overlay';
  box.style.cssText = 'position:fixed;top:60px;left:50%;transform:translateX(-50%);width:620px;height:520px;background:#fff;z-index:1001;border-radius:6px;overflow:hidden';
  var levels = readCookie('cmapi_cookie_privacy') || (gpc ? 'permit 1 2' : 'permit 1 2 3');
  box.innerHTML = '<iframe class="truste_popframe" title="TrustArc Cookie Consent Manager" style="width:100%;height:100%;border:0" src="//consent-pref.trustarc.com/?type=alderash&site=alder-and-ash-interiors.com&action=notice&country=us&locale=en&behavior=expressed&gpc=' + (gpc ? 1 : 0) + '&prefs=' + encodeURIComponent(levels) + '"></iframe>';
  document.body.appendChild(overlay);
  document.body.appendChild(box);
}
document.addEventListener('DOMContentLoaded', function () {
  document.getElementById('icon-id0').addEventListener('click', showPreferences);
  if (gpc) { document.getElementById('gpc-status').hidden = false; }
});
