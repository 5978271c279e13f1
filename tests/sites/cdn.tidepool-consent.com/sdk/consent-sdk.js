/*
 * Tidepool Consent SDK — a small consent manager written for the auditor's fixtures. It reproduces the
 * behaviour observed of OneTrust's SDK under a CCPA (opt-out) template (shared reference cmps.md §4), in
 * this project's own code: the OptanonConsent cookie format, groups switched off by Global Privacy Control
 * when the tenant marks them IsGpcEnabled, window.OnetrustActiveGroups, the .ot-optout-signal notice, the
 * preference-center ids, OTGPPConsent and OneTrustWPCCPAGoogleOptOut. Configure with window.tidepoolConfig:
 *   {groups: [{id, name, gpc, alwaysActive}], saleGroups: [id], gpp: {optedOut, notOptedOut} | null}
 */
(function () {
  "use strict";
  var config = window.tidepoolConfig;
  var gpcSignal = navigator.globalPrivacyControl === true;
  var honours = config.groups.some(function (g) { return g.gpc; });
  var state = {};
  config.groups.forEach(function (g) { state[g.id] = g.alwaysActive || !(gpcSignal && g.gpc); });

  function uuid() {
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 3) | 8).toString(16);
    });
  }
  var consentId = uuid();

  function setCookie(name, value) {
    document.cookie = name + "=" + value + "; path=/; max-age=31536000; SameSite=Lax";
  }

  function saleOptedOut() {
    return config.saleGroups.every(function (id) { return state[id] === false; });
  }

  function write(interactionCount) {
    var groups = config.groups.map(function (g) { return g.id + ":" + (state[g.id] ? 1 : 0); }).join(",");
    var fields = [
      ["isGpcEnabled", honours && gpcSignal ? "1" : "0"],
      ["datestamp", new Date().toString()],
      ["version", "202504.1.0"],
      ["browserGpcFlag", gpcSignal ? "1" : "0"],
      ["isIABGlobal", "false"],
      ["hosts", ""],
      ["consentId", consentId],
      ["interactionCount", String(interactionCount)],
      ["isAnonUser", "1"],
      ["landingPath", interactionCount ? "NotLandingPage" : location.href],
      ["groups", groups],
      ["geolocation", "US;CA"],
      ["AwaitingReconsent", "false"]
    ];
    if (config.gpp) fields.push(["GPPCookiesCount", "1"]);
    setCookie("OptanonConsent", fields.map(function (f) { return f[0] + "=" + encodeURIComponent(f[1]); }).join("&"));
    if (config.gpp) setCookie("OTGPPConsent", saleOptedOut() ? config.gpp.optedOut : config.gpp.notOptedOut);
    setCookie("OneTrustWPCCPAGoogleOptOut", saleOptedOut() ? "true" : "false");
    window.OnetrustActiveGroups = "," + config.groups.filter(function (g) { return state[g.id]; })
      .map(function (g) { return g.id; }).join(",") + ",";
  }

  window.OneTrust = {
    GetDomainData: function () {
      return {
        Groups: config.groups.map(function (g) {
          return { CustomGroupId: g.id, OptanonGroupId: g.id, GroupName: g.name, IsGpcEnabled: !!g.gpc };
        })
      };
    },
    ToggleInfoDisplay: function () { openCenter(); }
  };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  var root, banner, center;
  function render() {
    root = el("div", { id: "onetrust-consent-sdk", "data-nosnippet": "true" });
    banner = el("div", { id: "onetrust-banner-sdk", class: "otFloatingFlat", role: "region", "aria-label": "Cookie banner" });
    var policy = el("div", { id: "onetrust-policy" });
    policy.appendChild(el("p", { id: "onetrust-policy-text" },
      "We and our partners use cookies to personalise ads and measure traffic. You can opt out of the sale " +
      "or sharing of your personal information at any time."));
    var notice = el("div", { class: "ot-optout-signal" + (honours && gpcSignal ? "" : " ot-hide") },
      "Your Opt-Out Preference Signal is Honored");
    policy.appendChild(notice);
    banner.appendChild(policy);
    var buttons = el("div", { id: "onetrust-button-group-parent" });
    var accept = el("button", { id: "onetrust-accept-btn-handler" }, "Accept All Cookies");
    var reject = el("button", { id: "onetrust-reject-all-handler" }, "Reject All");
    var settings = el("button", { id: "onetrust-pc-btn-handler" }, "Cookie Settings");
    [accept, reject, settings].forEach(function (b) { buttons.appendChild(b); });
    banner.appendChild(buttons);
    root.appendChild(banner);

    center = el("div", { id: "onetrust-pc-sdk", class: "otPcPanel ot-hide", role: "region", "aria-label": "Privacy Preference Center" });
    center.appendChild(el("h2", { id: "ot-pc-title" }, "Privacy Preference Center"));
    var content = el("div", { id: "ot-pc-content" });
    config.groups.forEach(function (g) {
      var item = el("div", { class: "ot-accordion-layout ot-cat-item", "data-optanongroupid": g.id });
      item.appendChild(el("h4", { class: "ot-cat-header", id: "ot-header-id-" + g.id }, g.name));
      if (g.alwaysActive) {
        item.appendChild(el("div", { class: "ot-always-active", id: "ot-status-id-" + g.id }, "Always Active"));
      } else {
        var box = el("input", { type: "checkbox", class: "category-switch-handler", id: "ot-group-id-" + g.id,
          name: "ot-group-id-" + g.id, role: "switch", "data-optanongroupid": g.id, "aria-labelledby": "ot-header-id-" + g.id });
        box.checked = state[g.id];
        item.appendChild(box);
      }
      content.appendChild(item);
    });
    center.appendChild(content);
    var save = el("button", { class: "save-preference-btn-handler onetrust-close-btn-handler" }, "Confirm My Choices");
    center.appendChild(save);
    root.appendChild(center);
    var style = el("style", {}, ".ot-hide{display:none!important}#onetrust-banner-sdk{position:fixed;bottom:0;left:0;right:0;" +
      "background:#fff;border-top:2px solid #333;padding:12px 20px;font:14px sans-serif;z-index:1000}" +
      ".ot-optout-signal{color:#1b5e20;font-weight:bold;margin:6px 0}#onetrust-pc-sdk{position:fixed;top:10%;left:25%;" +
      "width:50%;background:#fff;border:1px solid #333;padding:16px;z-index:1001}#onetrust-banner-sdk button{margin-right:8px}");
    root.appendChild(style);
    document.body.appendChild(root);

    accept.addEventListener("click", function () { setAll(true); close(); });
    reject.addEventListener("click", function () { setAll(false); close(); });
    settings.addEventListener("click", openCenter);
    save.addEventListener("click", function () {
      config.groups.forEach(function (g) {
        var box = document.getElementById("ot-group-id-" + g.id);
        if (box) state[g.id] = box.checked;
      });
      close();
    });
    document.querySelectorAll(".ot-sdk-show-settings").forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); openCenter(); });
    });
  }

  function setAll(value) {
    config.groups.forEach(function (g) { state[g.id] = g.alwaysActive || value; });
  }
  function openCenter() { center.classList.remove("ot-hide"); }
  function close() {
    banner.classList.add("ot-hide");
    center.classList.add("ot-hide");
    setCookie("OptanonAlertBoxClosed", new Date().toISOString());
    write(1);
    document.dispatchEvent(new CustomEvent("tidepool:consent", { detail: { activeGroups: window.OnetrustActiveGroups } }));
  }

  write(0);
  function start() {
    render();
    document.dispatchEvent(new CustomEvent("tidepool:consent", { detail: { activeGroups: window.OnetrustActiveGroups } }));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
