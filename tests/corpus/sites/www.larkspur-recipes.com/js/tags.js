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

// Larkspur's tag manager container: the consent manager (vanilla-cookieconsent 2) is one of its tags and fires
// four seconds after the page has loaded, so until then the footer's "Your Privacy Choices" link does nothing.
var gpc = navigator.globalPrivacyControl === true;
function storedLevels() {
  try { return JSON.parse(readCookie('cc_cookie')).level; } catch (e) { return null; }
}
function syncUsPrivacy() {
  var levels = storedLevels();
  setUsPrivacy(gpc || (levels !== null && levels.indexOf('ads') < 0));
}
syncUsPrivacy();
function startConsentManager() {
  var css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '//cdn.jsdelivr.net/gh/orestbida/cookieconsent@v2.9.2/dist/cookieconsent.css';
  document.head.appendChild(css);
  var script = document.createElement('script');
  script.src = '//cdn.jsdelivr.net/gh/orestbida/cookieconsent@v2.9.2/dist/cookieconsent.js';
  script.onload = function () {
    var cc = initCookieConsent();
    cc.run({
      current_lang: 'en', mode: 'opt-out', autoclear_cookies: true, page_scripts: true,
      onAccept: syncUsPrivacy, onChange: syncUsPrivacy,
      gui_options: { consent_modal: { layout: 'box', position: 'bottom right' }, settings_modal: { layout: 'box' } },
      languages: { en: {
        consent_modal: {
          title: 'Cookies and your privacy',
          description: 'We use cookies for analytics and to show you ads, which may be a sale or sharing of personal information. <button type="button" data-cc="c-settings" class="cc-link">Let me choose</button>',
          primary_btn: { text: 'Accept all', role: 'accept_all' },
          secondary_btn: { text: 'Reject all', role: 'accept_necessary' }
        },
        settings_modal: {
          title: 'Your Privacy Choices', save_settings_btn: 'Save settings', accept_all_btn: 'Accept all',
          reject_all_btn: 'Reject all', close_btn_label: 'Close',
          blocks: [
            { title: 'How we use cookies', description: 'Turn off targeted advertising to opt out of the sale and sharing of your personal information.' },
            { title: 'Strictly necessary', description: 'Needed for the site to work.', toggle: { value: 'necessary', enabled: true, readonly: true } },
            { title: 'Analytics', description: 'Counts visits anonymously.', toggle: { value: 'analytics', enabled: true, readonly: false } },
            { title: 'Targeted advertising (sale or sharing of personal information)', description: 'Google Ad Manager and Criteo.', toggle: { value: 'ads', enabled: !gpc, readonly: false } }
          ]
        }
      } }
    });
    if (gpc) { document.getElementById('gpc-status').hidden = false; }
  };
  document.head.appendChild(script);
}
window.addEventListener('load', function () { setTimeout(startConsentManager, 4000); });
