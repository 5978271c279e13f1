// Ad calls pass the US Privacy string along, as IAB's us_privacy parameter.
(function () {
  var usp = encodeURIComponent(window.pinecrestPrivacy.uspString);
  new Image().src = "http://ib.adnxs.com/getuid?us_privacy=" + usp;
  new Image().src = "http://securepubads.g.doubleclick.net/pcs/view?us_privacy=" + usp + "&slot=ad-slot";
})();
