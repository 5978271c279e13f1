// Sierra Gear Exchange's CMP logic on the IAB reference GPP CMP API: US national section (usnat, id 7).
// Global Privacy Control opts the visitor out of sale, sharing and targeted advertising, and the page says so.
import { CmpApi } from "/vendor/iabgpp-cmpapi/index.js";

const gpc = navigator.globalPrivacyControl === true;
const choice = gpc ? 1 : 2; // 1 = opted out, 2 = did not opt out
const cmp = new CmpApi(1108, 1);
cmp.setSupportedAPIs(["7:usnat"]);
cmp.setApplicableSections([7]);
for (const notice of ["SharingNotice", "SaleOptOutNotice", "SharingOptOutNotice", "TargetedAdvertisingOptOutNotice"]) {
  cmp.setFieldValue("usnat", notice, 1);
}
for (const field of ["SaleOptOut", "SharingOptOut", "TargetedAdvertisingOptOut"]) {
  cmp.setFieldValue("usnat", field, choice);
}
cmp.setFieldValue("usnat", "MspaCoveredTransaction", 2);
cmp.setFieldValue("usnat", "Gpc", gpc);
cmp.setCmpStatus("loaded");
cmp.setCmpDisplayStatus("hidden");
cmp.setSignalStatus("ready");

if (gpc) {
  const note = document.getElementById("privacy-note");
  note.textContent = "Your opt-out preference signal has been processed: we will not sell or share your " +
    "personal information or use it for targeted advertising.";
  note.hidden = false;
}
const gpp = encodeURIComponent(cmp.getGppString());
new Image().src = `http://ib.adnxs.com/bounce?gpp=${gpp}&gpp_sid=7`;
if (!gpc) {
  // Retargeting only for visitors who did not opt out.
  new Image().src = "http://www.facebook.com/tr?id=2201833&ev=PageView";
}
