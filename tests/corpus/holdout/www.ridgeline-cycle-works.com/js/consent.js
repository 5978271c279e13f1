// A re-implementation of a Sourcepoint-style consent manager: the message and the privacy manager are iframes from
// cdn.privacy-mgmt-like.com (another site) in fixed containers of this page; the frames post the choice back and
// the page keeps it in local storage (_sp_like_ccpa) and the US Privacy string (cookie usprivacy, __uspapi).
(function () {
  var CMP = 'http://cdn.privacy-mgmt-like.com';
  var KEY = '_sp_like_ccpa';
  var gpc = navigator.globalPrivacyControl === true;
  function readCookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }
  function stored() { try { return JSON.parse(localStorage.getItem(KEY)); } catch (e) { return null; } }
  function adsAllowed() { var s = stored(); return !gpc && (s === null || s.targetedAds === true); }
  function setUsPrivacy() { document.cookie = 'usprivacy=1Y' + (adsAllowed() ? 'N' : 'Y') + 'N; path=/; max-age=31536000'; }
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
  setUsPrivacy();
  if (adsAllowed()) { loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js'); loadScript('//connect.facebook.net/en_US/fbevents.js'); }
  function frameIn(id, style, src, title) {
    remove(id);
    var box = document.createElement('div');
    box.id = id;
    box.style.cssText = style;
    box.innerHTML = '<iframe title="' + title + '" style="width:100%;height:100%;border:0" src="' + src + '"></iframe>';
    document.body.appendChild(box);
  }
  function remove(id) { var el = document.getElementById(id); if (el) { el.remove(); } }
  function showMessage() {
    frameIn('sp_like_message_container_31', 'position:fixed;left:0;right:0;bottom:0;height:170px;background:#fff;'
      + 'box-shadow:0 -2px 10px rgba(0,0,0,.25);z-index:2000', CMP + '/message/?site=ridgeline', 'Notice message');
  }
  function loadPrivacyManagerModal() {
    remove('sp_like_message_container_31');
    var s = stored();
    var query = 'site=ridgeline&ads=' + (adsAllowed() ? 1 : 0) + '&analytics=' + (s && s.analytics === false ? 0 : 1);
    frameIn('sp_like_pm_container_32', 'position:fixed;top:50px;left:50%;transform:translateX(-50%);width:640px;'
      + 'height:500px;background:#fff;border-radius:8px;box-shadow:0 0 0 3000px rgba(0,0,0,.5);z-index:2001',
      CMP + '/privacy-manager/?' + query, 'Privacy manager');
  }
  function save(choice) {
    localStorage.setItem(KEY, JSON.stringify({ analytics: choice.analytics, targetedAds: choice.targetedAds, savedAt: Date.now() }));
    setUsPrivacy();
    remove('sp_like_message_container_31');
    remove('sp_like_pm_container_32');
  }
  window.addEventListener('message', function (event) {
    var data = event.data || {};
    if (event.origin !== CMP || data.source !== 'sp_like') { return; }
    if (data.action === 'accept_all') { save({ analytics: true, targetedAds: true }); }
    if (data.action === 'reject_all') { save({ analytics: false, targetedAds: false }); }
    if (data.action === 'save') { save(data.choice); }
    if (data.action === 'open_pm') { loadPrivacyManagerModal(); }
    if (data.action === 'close_pm') { remove('sp_like_pm_container_32'); }
  });
  window._sp_like = { loadPrivacyManagerModal: loadPrivacyManagerModal };
  document.addEventListener('DOMContentLoaded', function () {
    if (stored() === null) { showMessage(); }
    if (gpc) { document.getElementById('gpc-status').hidden = false; }
  });
})();
