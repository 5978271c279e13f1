
function loadScript(src) {
  var script = document.createElement('script');
  script.async = true;
  script.src = src;
  document.head.appendChild(script);
}

// Summit Ridge does not read Global Privacy Control and sets no privacy signal.
loadScript('//connect.facebook.net/en_US/fbevents.js');
loadScript('//securepubads.g.doubleclick.net/tag/js/gpt.js');
