/* Stand-in for Criteo's publisher tag (corpus fixture): sets cto_bundle and asks the bidder for ads. */
(function () {
  document.cookie = 'cto_bundle=' + Math.random().toString(36).slice(2) + '; path=/; max-age=33696000';
  new Image().src = '//bidder.criteo.com/cdb?ptv=110&profileId=207&cb=' + Date.now();
  window.Criteo = window.Criteo || { events: [] };
})();
