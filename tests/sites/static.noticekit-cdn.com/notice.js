// The fixture sites' shared behaviour: the banner's buttons, the preference center and the opt-out link.
// Whatever a site lacks (no settings button, no opt-out link) is skipped.
(function () {

  var pc = document.getElementById('pc');
  function openPc(event) { if (event) event.preventDefault(); pc.hidden = false; document.getElementById('pc-title').focus(); }
  function closePc() { pc.hidden = true; }
  pc.addEventListener('keydown', function (e) { if (e.key === 'Escape') closePc(); });
  document.getElementById('pc-save').addEventListener('click', function () {
    document.cookie = 'optout=' + (document.getElementById('t-sale').checked ? '0' : '1') + '; path=/'; closePc();
  });

  var bannerEl = document.getElementById('consent-banner');
  function hideBanner() { bannerEl.style.display = 'none'; }
  document.getElementById('accept').addEventListener('click', hideBanner);
  var reject = document.getElementById('reject');
  if (reject) reject.addEventListener('click', hideBanner);
  var settings = document.getElementById('settings');
  if (settings) settings.addEventListener('click', openPc);
  var dnsLink = document.getElementById('dns-link');
  if (dnsLink) dnsLink.addEventListener('click', openPc);
})();
