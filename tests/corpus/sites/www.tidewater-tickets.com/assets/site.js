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

// Osano's open-source cookieconsent bar (opt-out type) decides whether ad tags run; its status cookie is
// cookieconsent_status. The US Privacy string follows it. A GPC signal is not read.
var optedOut = readCookie('cookieconsent_status') === 'deny';
setUsPrivacy(optedOut);
loadScript('//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B');
if (!optedOut) { loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); loadScript('//connect.facebook.net/en_US/fbevents.js'); }
window.addEventListener('load', function () {
  window.cookieconsent.initialise({
    type: 'opt-out', position: 'bottom', theme: 'block',
    palette: { popup: { background: '#2d1b3d', text: '#ffffff' }, button: { background: '#f1d600', text: '#000000' } },
    content: { message: 'We use cookies to sell tickets, measure our site and show you ads on other sites.', deny: 'Decline', allow: 'Allow cookies', link: 'Learn more', href: '/privacy' },
    onStatusChange: function (status) { setUsPrivacy(status === 'deny'); }
  });
  var button = document.getElementById('ccpa-opt-out');
  if (button) {
    button.onclick = function () {
      document.cookie = 'cookieconsent_status=deny; path=/; max-age=31536000';
      setUsPrivacy(true);
      document.getElementById('ccpa-done').hidden = false;
    };
  }
});
