/* Stand-in for the Meta Pixel (corpus fixture): sets the first-party _fbp cookie and sends PageView to /tr. */
(function () {
  if (!/(?:^|; )_fbp=/.test(document.cookie)) {
    document.cookie = '_fbp=fb.1.' + Date.now() + '.' + Math.floor(Math.random() * 1e9) + '; path=/; max-age=7776000';
  }
  var queue = (window.fbq && window.fbq.queue) || [];
  function send(event, id) {
    new Image().src = '//www.facebook.com/tr/?id=' + (id || '1029384756') + '&ev=' + event + '&dl=' +
      encodeURIComponent(location.href) + '&noscript=1';
  }
  window.fbq = function (command, value) { if (command === 'track') send(value); };
  window.fbq.loaded = true;
  send('PageView');
  queue.forEach(function (args) { window.fbq.apply(null, args); });
})();
