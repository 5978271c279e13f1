// An icon-only consent manager: no banner, every service on by default; a floating cookie button opens a panel with
// "Deny all cookies" and Allow / Deny button pairs per service whose state is aria-pressed.
(function () {
  var KEY = 'ib_services';
  var SERVICES = [
    {id: 'stats', name: 'Site statistics', purpose: 'Analytics'},
    {id: 'ads', name: 'Ad partners', purpose: 'Targeted advertising and sharing with ad partners'},
  ];
  var gpc = navigator.globalPrivacyControl === true;
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(KEY)); } catch (e) { stored = null; }
  var state = stored || {stats: true, ads: !gpc};

  if (state.ads) {
    var ad = document.createElement('script');
    ad.src = 'http://securepubads.g.doubleclick.net/tag/js/gpt.js';
    document.head.appendChild(ad);
  }

  function save() { localStorage.setItem(KEY, JSON.stringify(state)); }

  function render(panel) {
    var html = '<h2>Cookie settings</h2>';
    if (gpc) html += '<p>Global Privacy Control detected: you are opted out of the sale and sharing of your personal information.</p>';
    html += '<button type="button" id="ib-deny-all">Deny all cookies</button>';
    SERVICES.forEach(function (s) {
      // One row is a named group, the other names itself only by its words beside the buttons.
      var group = s.id === 'stats' ? ' role="group" aria-label="' + s.name + '"' : '';
      html += '<div class="svc"' + group + '><span>' + s.name + ' <small>(' + s.purpose + ')</small></span><span>' +
        '<button type="button" data-svc="' + s.id + '" data-on="1" aria-pressed="' + (state[s.id] ? 'true' : 'false') + '">Allow</button> ' +
        '<button type="button" data-svc="' + s.id + '" data-on="0" aria-pressed="' + (state[s.id] ? 'false' : 'true') + '">Deny</button></span></div>';
    });
    panel.innerHTML = html;
    panel.querySelector('#ib-deny-all').addEventListener('click', function () {
      SERVICES.forEach(function (s) { state[s.id] = false; });
      save();
      render(panel);
    });
    panel.querySelectorAll('button[data-svc]').forEach(function (b) {
      b.addEventListener('click', function () {
        state[b.dataset.svc] = b.dataset.on === '1';
        save();
        render(panel);
      });
    });
  }

  function open() {
    var panel = document.getElementById('ib-panel');
    if (panel) return;
    panel = document.createElement('div');
    panel.id = 'ib-panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', 'Cookie settings');
    document.body.appendChild(panel);
    render(panel);
  }

  var fab = document.createElement('button');
  fab.id = 'ib-fab';
  fab.type = 'button';
  fab.setAttribute('aria-label', 'Cookie settings');
  fab.textContent = '\u{1F36A}';
  fab.addEventListener('click', open);
  document.body.appendChild(fab);
  document.querySelectorAll('.ib-open').forEach(function (b) { b.addEventListener('click', open); });
})();
