/* Stand-in for the Google Publisher Tag (corpus fixture): like GPT, it sets the first-party __gads cookie and
   requests an ad, passing the page's US Privacy string only when the page has one. */
(function () {
  var usp = (document.cookie.match(/(?:^|; )usprivacy=([^;]*)/) || [])[1] || '';
  if (!/(?:^|; )__gads=/.test(document.cookie)) {
    document.cookie = '__gads=ID=' + Math.random().toString(16).slice(2, 18) + ':T=' + Math.floor(Date.now() / 1000) +
      ':S=ALNI_Ma; path=/; max-age=34190000';
  }
  var ad = new Image();
  ad.src = '//pagead2.googlesyndication.com/pcs/view?xai=AKAOjs&sz=300x250' +
    (usp ? '&us_privacy=' + encodeURIComponent(usp) : '') + '&url=' + encodeURIComponent(location.href);
  window.googletag = window.googletag || { cmd: [] };
  window.googletag.apiReady = true;
})();
