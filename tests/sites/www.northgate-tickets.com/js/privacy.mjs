// Northgate's CMP logic on the IAB reference GPP CMP API (usca). It passes the browser's GPC flag along in
// the GPC sub-section but never applies it: sale and sharing stay at "did not opt out" (2).
import { CmpApi } from "/vendor/iabgpp-cmpapi/index.js";

const gpc = navigator.globalPrivacyControl === true;
const cmp = new CmpApi(1109, 4);
cmp.setSupportedAPIs(["8:usca"]);
cmp.setApplicableSections([8]);
cmp.setFieldValue("usca", "SaleOptOutNotice", 1);
cmp.setFieldValue("usca", "SharingOptOutNotice", 1);
cmp.setFieldValue("usca", "SaleOptOut", 2);
cmp.setFieldValue("usca", "SharingOptOut", 2);
cmp.setFieldValue("usca", "Gpc", gpc);
cmp.setCmpStatus("loaded");
cmp.setCmpDisplayStatus("hidden");
cmp.setSignalStatus("ready");

const gpp = encodeURIComponent(cmp.getGppString());
new Image().src = `http://securepubads.g.doubleclick.net/pcs/view?gpp=${gpp}&gpp_sid=8`;
new Image().src = `http://s.pinimg.com/ct/core.js?gpp=${gpp}`;
new Image().src = "http://ct.pinterest.com/v3/?event=init&tid=2612";
