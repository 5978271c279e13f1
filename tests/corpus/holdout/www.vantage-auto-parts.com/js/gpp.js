function loadScript(src) {
  var script = document.createElement('script');
  script.async = true;
  script.src = src;
  document.head.appendChild(script);
}

// Vantage's own GPP CMP (IAB reference CmpApi, US national section). The GPC sub-section passes the browser's
// signal along, but the opt-out fields only follow the site's own switch: under GPC the string says Gpc=1 while
// SaleOptOut stays 2 (did not opt out), and the ad tags keep loading.
var gpc = navigator.globalPrivacyControl === true;
var optedOut = /(?:^|; )va_optout=1/.test(document.cookie);
var api = new iabgpp.CmpApi(1, 1);
api.setSupportedAPIs(['7:usnat', '8:usca']);
api.setApplicableSections([7, 8]);
['SaleOptOutNotice', 'SharingOptOutNotice'].forEach(function (f) { api.setFieldValue('usca', f, 1); });
// the California section applies the GPC signal; the national one (maintained by another team) does not
['SaleOptOut', 'SharingOptOut'].forEach(function (f) { api.setFieldValue('usca', f, optedOut || gpc ? 1 : 2); });
api.setFieldValue('usca', 'MspaCoveredTransaction', 2);
api.setFieldValue('usca', 'Gpc', gpc);
['SharingNotice', 'SaleOptOutNotice', 'SharingOptOutNotice', 'TargetedAdvertisingOptOutNotice'].forEach(function (f) { api.setFieldValue('usnat', f, 1); });
['SaleOptOut', 'SharingOptOut', 'TargetedAdvertisingOptOut'].forEach(function (f) { api.setFieldValue('usnat', f, optedOut ? 1 : 2); });
api.setFieldValue('usnat', 'MspaCoveredTransaction', 2);
api.setFieldValue('usnat', 'Gpc', gpc);
api.setSignalStatus('ready');
api.setCmpStatus('loaded');
api.setCmpDisplayStatus('hidden');
if (!optedOut) { loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); loadScript('//static.criteo.net/js/ld/publishertag.js'); }
loadScript('//www.googletagmanager.com/gtag/js?id=G-7QK2M4XZ1B');
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('va-optout');
  if (!box) { return; }
  box.checked = optedOut;
  document.getElementById('va-save').onclick = function () {
    document.cookie = 'va_optout=' + (box.checked ? '1' : '0') + '; path=/; max-age=31536000';
    ['SaleOptOut', 'SharingOptOut', 'TargetedAdvertisingOptOut'].forEach(function (f) { api.setFieldValue('usnat', f, box.checked ? 1 : 2); });
    ['SaleOptOut', 'SharingOptOut'].forEach(function (f) { api.setFieldValue('usca', f, box.checked || gpc ? 1 : 2); });
    document.getElementById('va-saved').hidden = false;
  };
});
