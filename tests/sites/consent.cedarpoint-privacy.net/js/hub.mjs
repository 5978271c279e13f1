// The publisher's consent manager, inside a cross-site frame. It implements GPP (usca, through the IAB
// reference CMP API) and US Privacy, and answers frames below it through the IAB locator-frame protocol:
// child frames named __gppLocator / __uspapiLocator, and postMessage __gppCall / __uspapiCall.
import { CmpApi } from "/vendor/iabgpp-cmpapi/index.js";

const gpc = navigator.globalPrivacyControl === true;
const cmp = new CmpApi(1111, 1);
cmp.setSupportedAPIs(["8:usca"]);
cmp.setApplicableSections([8]);
cmp.setFieldValue("usca", "SaleOptOutNotice", 1);
cmp.setFieldValue("usca", "SharingOptOutNotice", 1);
cmp.setFieldValue("usca", "SaleOptOut", gpc ? 1 : 2);
cmp.setFieldValue("usca", "SharingOptOut", gpc ? 1 : 2);
cmp.setFieldValue("usca", "Gpc", gpc);
cmp.setCmpStatus("loaded");
cmp.setSignalStatus("ready");

const uspString = gpc ? "1YYN" : "1YNN";
window.__uspapi = (command, version, callback) => {
  if (command === "getUSPData" && typeof callback === "function") callback({ version: 1, uspString }, true);
  else if (typeof callback === "function") callback(null, false);
};

for (const name of ["__gppLocator", "__uspapiLocator"]) {
  const frame = document.createElement("iframe");
  frame.name = name;
  frame.style.display = "none";
  document.body.appendChild(frame);
}

window.addEventListener("message", (event) => {
  let data = event.data;
  if (typeof data === "string") {
    try { data = JSON.parse(data); } catch (e) { return; }
  }
  if (!data || typeof data !== "object") return;
  const reply = (key, payload) => event.source && event.source.postMessage({ [key]: payload }, "*");
  if (data.__gppCall) {
    const call = data.__gppCall;
    window.__gpp(call.command, (returnValue, success) => {
      reply("__gppReturn", { returnValue, success, callId: call.callId });
    }, call.parameter, call.version);
  } else if (data.__uspapiCall) {
    const call = data.__uspapiCall;
    window.__uspapi(call.command, call.version, (returnValue, success) => {
      reply("__uspapiReturn", { returnValue, success, callId: call.callId });
    });
  }
});
