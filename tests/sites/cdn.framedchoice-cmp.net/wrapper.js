// The page side of a Sourcepoint-style consent manager: shows its message and its privacy manager as iframes from
// cdn.framedchoice-cmp.net and keeps the choice the frames post back in the first-party cookie fc_ccpa
// ("analytics=1&sale=0") and the US Privacy string (cookie usprivacy and __uspapi).
(function () {
  var CMP = 'http://cdn.framedchoice-cmp.net';
  // the privacy manager's page: a site may name another one (data-privacy-manager on this script's tag)
  var PM_PAGE = document.currentScript.getAttribute('data-privacy-manager') || '/pm.html';
  var gpc = navigator.globalPrivacyControl === true;
  function readCookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }
  function choices() {
    var stored = new URLSearchParams(readCookie('fc_ccpa') || '');
    return { analytics: stored.get('analytics') !== '0', sale: !gpc && stored.get('sale') !== '0' };
  }
  function setUsPrivacy() {
    document.cookie = 'usprivacy=1Y' + (choices().sale ? 'N' : 'Y') + 'N; path=/; max-age=31536000';
  }
  window.__uspapi = function (command, version, callback) {
    var usp = readCookie('usprivacy');
    if (command === 'getUSPData' && usp) { callback({ version: 1, uspString: usp }, true); } else { callback(null, false); }
  };
  setUsPrivacy();
  function container(id, style, src, title) {
    var old = document.getElementById(id);
    if (old) { old.remove(); }
    var box = document.createElement('div');
    box.id = id;
    box.style.cssText = style;
    box.innerHTML = '<iframe title="' + title + '" style="width:100%;height:100%;border:0" src="' + src + '"></iframe>';
    document.body.appendChild(box);
  }
  function close(id) { var el = document.getElementById(id); if (el) { el.remove(); } }
  function showMessage() {
    container('fc_message_container_2201', 'position:fixed;left:0;right:0;bottom:0;height:150px;background:#fff;'
      + 'box-shadow:0 -2px 8px rgba(0,0,0,.3);z-index:1000', CMP + '/message.html', 'Privacy message');
  }
  function loadPrivacyManagerModal() {
    close('fc_message_container_2201');
    var now = choices();
    var query = 'analytics=' + (now.analytics ? 1 : 0) + '&sale=' + (now.sale ? 1 : 0) + '&gpc=' + (gpc ? 1 : 0);
    container('fc_pm_container_2202', 'position:fixed;top:60px;left:50%;transform:translateX(-50%);width:600px;'
      + 'height:460px;background:#fff;border-radius:6px;box-shadow:0 0 0 2000px rgba(0,0,0,.45);z-index:1001',
      CMP + PM_PAGE + '?' + query, 'Privacy manager');
  }
  window.addEventListener('message', function (event) {
    var data = event.data || {};
    if (event.origin !== CMP || data.source !== 'fc_cmp') { return; }
    if (data.action === 'accept_all' || data.action === 'save') {
      var chosen = data.action === 'accept_all' ? { analytics: 1, sale: 1 } : data.choices;
      document.cookie = 'fc_ccpa=' + encodeURIComponent('analytics=' + chosen.analytics + '&sale=' + chosen.sale)
        + '; path=/; max-age=31536000';
      setUsPrivacy();
      close('fc_message_container_2201');
      close('fc_pm_container_2202');
    }
    if (data.action === 'show_pm') { loadPrivacyManagerModal(); }
    if (data.action === 'cancel') { close('fc_pm_container_2202'); }
  });
  window._fc_ = { loadPrivacyManagerModal: loadPrivacyManagerModal };
  document.addEventListener('DOMContentLoaded', function () {
    if (readCookie('fc_ccpa') === null) { showMessage(); }
  });
})();
