// tarteaucitron with every service running by default (no banner): visitors use the cookie icon or the footer link to deny.
tarteaucitron.services.googleadmanager = {
  key: 'googleadmanager', type: 'ads', name: 'Google Ad Manager', uri: 'https://policies.google.com/privacy',
  needConsent: false, cookies: ['__gads'],
  js: function () { tarteaucitron.addScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); }
};
tarteaucitron.services.metapixel = {
  key: 'metapixel', type: 'ads', name: 'Meta Pixel', uri: 'https://www.facebook.com/privacy/policy/',
  needConsent: false, cookies: ['_fbp'],
  js: function () { tarteaucitron.addScript('//connect.facebook.net/en_US/fbevents.js'); }
};
tarteaucitron.services.ga4 = {
  key: 'ga4', type: 'analytic', name: 'Google Analytics', uri: 'https://policies.google.com/privacy',
  needConsent: false, cookies: ['_ga'],
  js: function () { tarteaucitron.addScript('//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B'); }
};
tarteaucitron.init({
  privacyUrl: '/privacy', hashtag: '#tarteaucitron', cookieName: 'tarteaucitron', orientation: 'bottom',
  highPrivacy: false, showAlertSmall: false, showIcon: true, iconPosition: 'BottomLeft', DenyAllCta: true,
  AcceptAllCta: true, moreInfoLink: false, removeCredit: true, mandatory: true, useExternalCss: false
});
(tarteaucitron.job = tarteaucitron.job || []).push('googleadmanager', 'metapixel', 'ga4');
