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

// Solstice's web app: every page, the consent bar and the privacy status are rendered here after load
// (client-side routes, content fetched as JSON).
var gpc = navigator.globalPrivacyControl === true;
var choice = readCookie('sol_ads');           // '1' allowed, '0' opted out, null not chosen yet
var adsOn = !gpc && choice !== '0';
setUsPrivacy(!adsOn);
if (adsOn) { loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); loadScript('//connect.facebook.net/en_US/fbevents.js'); }
loadScript('//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B');

function save(allowed) {
  document.cookie = 'sol_ads=' + (allowed ? '1' : '0') + '; path=/; max-age=31536000';
  setUsPrivacy(!allowed || gpc);
  document.getElementById('bar').hidden = true;
  document.getElementById('prefs').hidden = true;
}
function layout() {
  document.getElementById('app').innerHTML =
    '<header><a class="brand" href="/" data-route>Solstice</a><nav><a href="/" data-route>Home</a><a href="/browse">Browse</a><a href="/plans">Plans</a></nav></header>' +
    '<main id="view"></main>' +
    '<footer><a href="/privacy" data-route>Privacy Policy</a><button type="button" id="choices">Your Privacy Choices</button><a href="/help">Help Center</a><a href="/terms">Terms of Use</a>' +
    '<div id="gpc-status"></div><p>&copy; 2026 Solstice Streaming, Inc.</p></footer>' +
    '<div class="bar" id="bar" role="region" aria-label="Cookie consent" hidden><p>We use cookies to recommend titles and to show you Solstice ads on other sites (a sale or sharing of personal information under California law).</p>' +
    '<button class="btn" id="accept">Accept all</button><button class="btn" id="reject">Reject all</button></div>' +
    '<div class="dialog" id="prefs" role="dialog" aria-modal="true" aria-label="Your Privacy Choices" hidden><div><h2>Your Privacy Choices</h2>' +
    '<p><label><input type="checkbox" id="ads-box"> Personalized advertising (sale or sharing of my personal information)</label></p>' +
    '<button class="btn" id="save">Save</button></div></div>';
  document.getElementById('accept').onclick = function () { save(true); };
  document.getElementById('reject').onclick = function () { save(false); };
  document.getElementById('choices').onclick = function () {
    document.getElementById('ads-box').checked = !gpc && readCookie('sol_ads') !== '0';
    document.getElementById('prefs').hidden = false;
  };
  document.getElementById('save').onclick = function () { save(document.getElementById('ads-box').checked); };
  if (choice === null && !gpc) { document.getElementById('bar').hidden = false; }
  document.querySelectorAll('[data-route]').forEach(function (a) {
    a.onclick = function (event) { event.preventDefault(); history.pushState({}, '', a.getAttribute('href')); route(); };
  });
  // the status line arrives with the account settings, a moment after the page
  setTimeout(function () {
    if (gpc) { document.getElementById('gpc-status').innerHTML = '<p class="status">Your Global Privacy Control signal was honored: Solstice does not sell or share your personal information from this browser.</p>'; }
  }, 1200);
}
function route() {
  var view = document.getElementById('view');
  if (location.pathname.indexOf('/privacy') === 0) {
    view.innerHTML = '<p>Loading&hellip;</p>';
    fetch('/api/pages/privacy.json').then(function (r) { return r.json(); }).then(function (page) {
      setTimeout(function () {
        view.innerHTML = '<article><h1>' + page.title + '</h1><p><em>Last updated: ' + page.updated + '</em></p>' + page.body + '</article>';
        document.title = page.title + ' | Solstice';
      }, 600);
    });
  } else {
    view.innerHTML = '<h1>Tonight on Solstice</h1><p>The new season of <em>Northern Line</em> is streaming now, plus 40 films added this month.</p><div style="margin:24px 0;padding:12px;border:1px dashed #bbb;text-align:center;font-size:12px">Advertisement</div>';
  }
}
window.addEventListener('popstate', route);
document.addEventListener('DOMContentLoaded', function () { layout(); route(); });
