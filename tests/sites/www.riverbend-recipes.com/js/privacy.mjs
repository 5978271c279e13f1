// Riverbend's CMP, ready late: it starts 2.5 s into the visit (or once loaded, if that is later); the IAB
// reference GPP CMP API then replays the stub's queue and signals ready.
import { CmpApi } from "/vendor/iabgpp-cmpapi/index.js";

await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2500 - performance.now())));

const gpc = navigator.globalPrivacyControl === true;
const cmp = new CmpApi(1110, 1);
cmp.setSupportedAPIs(["8:usca"]);
cmp.setApplicableSections([8]);
cmp.setFieldValue("usca", "SaleOptOutNotice", 1);
cmp.setFieldValue("usca", "SharingOptOutNotice", 1);
cmp.setFieldValue("usca", "SaleOptOut", gpc ? 1 : 2);
cmp.setFieldValue("usca", "SharingOptOut", gpc ? 1 : 2);
cmp.setFieldValue("usca", "Gpc", gpc);
cmp.setCmpStatus("loaded");
cmp.setSignalStatus("ready");

const gpp = encodeURIComponent(cmp.getGppString());
new Image().src = `http://securepubads.g.doubleclick.net/pcs/view?gpp=${gpp}&gpp_sid=8`;
