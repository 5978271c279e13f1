function loadScript(src) {
  var script = document.createElement('script');
  script.async = true;
  script.src = src;
  document.head.appendChild(script);
}

// Northwind's own GPP CMP (IAB reference CmpApi, US national section). The GPC sub-section passes the browser's
// signal along, but the opt-out fields only follow the site's own switch: under GPC the string says Gpc=1 while
// SaleOptOut stays 2 (did not opt out), and the ad tags keep loading.
var gpc = navigator.globalPrivacyControl === true;
var optedOut = /(?:^|; )nw_optout=1/.test(document.cookie);
var api = new iabgpp.CmpApi(1, 1);
api.setSupportedAPIs(['7:usnat']);
api.setApplicableSections([7]);
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
  var box = document.getElementById('nw-optout');
  if (!box) { return; }
  box.checked = optedOut;
  document.getElementById('nw-save').onclick = function () {
    document.cookie = 'nw_optout=' + (box.checked ? '1' : '0') + '; path=/; max-age=31536000';
    ['SaleOptOut', 'SharingOptOut', 'TargetedAdvertisingOptOut'].forEach(function (f) { api.setFieldValue('usnat', f, box.checked ? 1 : 2); });
    document.getElementById('nw-saved').hidden = false;
  };
});
