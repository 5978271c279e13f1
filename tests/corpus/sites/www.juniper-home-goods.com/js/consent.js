// Klaro configuration and the bridge from it to the IAB US Privacy string (usprivacy cookie and __uspapi).
// Advertising runs until the visitor opts out (CCPA opt-out model); a Global Privacy Control signal is an opt-out.
var gpc = navigator.globalPrivacyControl === true;
var klaroConfig = {
  version: 1,
  elementID: 'klaro',
  storageMethod: 'cookie',
  cookieName: 'klaro',
  cookieExpiresAfterDays: 365,
  privacyPolicy: '/privacy-policy',
  default: false,
  mustConsent: false,
  acceptAll: true,
  hideDeclineAll: false,
  translations: {
    en: {
      consentNotice: {
        description: 'We and our advertising partners use cookies to run this store, measure traffic and show you ads on other sites, which may be a sale or sharing of personal information under California law. You can opt out at any time.',
        learnMore: 'Let me choose'
      },
      consentModal: {
        title: 'Your privacy choices',
        description: 'Choose which services may run. Switching off advertising opts you out of the sale and sharing of your personal information.'
      },
      purposes: {
        analytics: 'Analytics',
        advertising: 'Targeted advertising (sale or sharing of personal information)'
      }
    }
  },
  services: [
    { name: 'google-analytics', title: 'Google Analytics', purposes: ['analytics'], default: true, optOut: true, cookies: [/^_ga/] },
    { name: 'google-ads', title: 'Google Ad Manager', purposes: ['advertising'], default: !gpc, optOut: !gpc, cookies: ['__gads'] },
    { name: 'meta-pixel', title: 'Meta Pixel', purposes: ['advertising'], default: !gpc, optOut: !gpc, cookies: ['_fbp'] }
  ]
};

function readKlaro() {
  var raw = (document.cookie.match(/(?:^|; )klaro=([^;]*)/) || [])[1];
  try { return raw ? JSON.parse(decodeURIComponent(raw)) : null; } catch (e) { return null; }
}
function writeUsPrivacy() {
  var stored = readKlaro();
  var optedOut = gpc || (stored !== null && stored['google-ads'] === false);
  document.cookie = 'usprivacy=1Y' + (optedOut ? 'Y' : 'N') + 'N; path=/; max-age=31536000';
}
window.__uspapi = function (command, version, callback) {
  var usp = (document.cookie.match(/(?:^|; )usprivacy=([^;]*)/) || [])[1];
  if (command === 'getUSPData' && usp) { callback({ version: 1, uspString: usp }, true); } else { callback(null, false); }
};
writeUsPrivacy();
document.addEventListener('DOMContentLoaded', function () {
  if (gpc) { document.getElementById('gpc-status').hidden = false; }
});
window.addEventListener('load', function () {
  if (window.klaro) {
    klaro.getManager().watch({ update: function (manager, event) { if (event === 'saveConsents') { setTimeout(writeUsPrivacy, 0); } } });
  }
});
