// US Privacy string v1: "1" + notice given (Y) + opted out of sale (Y/N) + LSPA (N).
// The site treats Global Privacy Control as an opt-out of sale and says so on the page.
(function () {
  var optedOut = navigator.globalPrivacyControl === true;
  var uspString = "1Y" + (optedOut ? "Y" : "N") + "N";
  document.cookie = "usprivacy=" + uspString + "; path=/; max-age=31536000; SameSite=Lax";
  window.__uspapi = function (command, version, callback) {
    if (command === "getUSPData" && version === 1 && typeof callback === "function") {
      callback({ version: 1, uspString: uspString }, true);
    } else if (typeof callback === "function") {
      callback(null, false);
    }
  };
  window.pinecrestPrivacy = { uspString: uspString, optedOut: optedOut };
  document.addEventListener("DOMContentLoaded", function () {
    if (!optedOut) return;
    var status = document.getElementById("gpc-status");
    status.textContent = "Opt-Out Preference Signal Honored. We detected Global Privacy Control in your browser " +
      "and have opted you out of the sale and sharing of your personal information.";
    status.hidden = false;
  });
})();
