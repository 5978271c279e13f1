// Marketing tags load only while the targeting group is active (as a tag manager gated on consent groups would).
(function () {
  var fired = false;
  function fire(activeGroups) {
    if (fired || activeGroups.indexOf(",C0004,") === -1) return;
    fired = true;
    new Image().src = "http://ad.doubleclick.net/ddm/activity/src=4413;type=visit;cat=home";
    new Image().src = "http://www.facebook.com/tr?id=9081726&ev=PageView";
  }
  document.addEventListener("tidepool:consent", function (event) { fire(event.detail.activeGroups); });
  if (window.OnetrustActiveGroups) fire(window.OnetrustActiveGroups);
})();
