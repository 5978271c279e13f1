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

// vanilla-cookieconsent 3 in opt-out mode: advertising on until the visitor (or a GPC signal) turns it off.
var gpc = navigator.globalPrivacyControl === true;
function syncUsPrivacy() { setUsPrivacy(gpc || (CookieConsent.validConsent() && !CookieConsent.acceptedCategory('ads'))); }
setUsPrivacy(gpc);
CookieConsent.run({
  mode: 'opt-out',
  categories: { necessary: { enabled: true, readOnly: true }, analytics: { enabled: true }, ads: { enabled: !gpc } },
  onFirstConsent: syncUsPrivacy, onConsent: syncUsPrivacy, onChange: syncUsPrivacy,
  guiOptions: { consentModal: { layout: 'box', position: 'bottom left' }, preferencesModal: { layout: 'box' } },
  language: { default: 'en', translations: { en: {
    consentModal: {
      title: 'Cookies at Bluewater',
      description: 'We use cookies to run our shop, count visits and show you our ads on other sites, which may be a sale or sharing of personal information.',
      acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', showPreferencesBtn: 'Manage preferences'
    },
    preferencesModal: {
      title: 'Your Privacy Choices', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', savePreferencesBtn: 'Save preferences', closeIconLabel: 'Close',
      sections: [
        { title: 'Strictly necessary', description: 'Needed for bookings.', linkedCategory: 'necessary' },
        { title: 'Analytics', description: 'Google Analytics.', linkedCategory: 'analytics' },
        { title: 'Targeted advertising (sale or sharing of personal information)', description: 'Google Ad Manager and the Meta Pixel.', linkedCategory: 'ads' }
      ]
    }
  } } }
}).then(function () { if (CookieConsent.validConsent()) { syncUsPrivacy(); } });
if (gpc) { document.getElementById('gpc-status').hidden = false; }
