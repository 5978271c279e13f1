// Hashlink's home-made consent manager: choices per category as Yes / No radios, stored in localStorage.
(function () {
  var KEY = 'hl_choices';
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || null; } catch (e) { return null; }
  }
  var gpc = navigator.globalPrivacyControl === true;
  var saved = load();
  var choices = saved || {analytics: 'yes', advertising: gpc ? 'no' : 'yes'};

  if (choices.advertising === 'yes') {
    var ad = document.createElement('script');
    ad.src = 'http://securepubads.g.doubleclick.net/tag/js/gpt.js';
    document.head.appendChild(ad);
  }
  if (gpc) {
    // The status line lives in an open shadow root in the footer.
    var host = document.getElementById('hl-status-host');
    var root = host.attachShadow({mode: 'open'});
    root.innerHTML = '<p style="margin:8px 0">Opt-Out Preference Signal Honored</p>';
  }

  function group(name, legend, value) {
    return '<fieldset><legend>' + legend + '</legend>' +
      '<label><input type="radio" name="' + name + '" value="yes"' + (value === 'yes' ? ' checked' : '') + '> Yes</label> ' +
      '<label><input type="radio" name="' + name + '" value="no"' + (value === 'no' ? ' checked' : '') + '> No</label></fieldset>';
  }

  window.hlOpen = function () {
    if (document.getElementById('hl-prefs')) return;
    var box = document.createElement('div');
    box.id = 'hl-prefs';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Your privacy choices');
    box.innerHTML = '<h2>Your privacy choices</h2><form id="hl-form">' +
      group('analytics', 'Analytics: measure how the site is used', choices.analytics) +
      group('advertising', 'Sale or sharing of personal information for targeted advertising', choices.advertising) +
      '<button type="submit">Save my choices</button></form>';
    document.body.appendChild(box);
    document.getElementById('hl-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var form = event.target;
      choices = {analytics: form.analytics.value, advertising: form.advertising.value};
      localStorage.setItem(KEY, JSON.stringify(choices));
      box.remove();
    });
  };
})();
