// Harborview's CMP logic on top of the IAB reference GPP CMP API: California section (usca, id 8).
// Global Privacy Control opts the visitor out of sale and sharing; the GPC sub-section passes it along.
import { CmpApi } from "/vendor/iabgpp-cmpapi/index.js";

const gpc = navigator.globalPrivacyControl === true;
const cmp = new CmpApi(1107, 2);
cmp.setSupportedAPIs(["8:usca"]);
cmp.setApplicableSections([8]);
cmp.setFieldValue("usca", "SaleOptOutNotice", 1);
cmp.setFieldValue("usca", "SharingOptOutNotice", 1);
cmp.setFieldValue("usca", "SensitiveDataLimitUseNotice", 1);
cmp.setFieldValue("usca", "SaleOptOut", gpc ? 1 : 2);
cmp.setFieldValue("usca", "SharingOptOut", gpc ? 1 : 2);
cmp.setFieldValue("usca", "Gpc", gpc);
cmp.setCmpStatus("loaded");
cmp.setCmpDisplayStatus("hidden");
cmp.setSignalStatus("ready");

// Ad calls carry the GPP string and the applicable section, as the GPP URL macros do.
const gpp = encodeURIComponent(cmp.getGppString());
new Image().src = `http://securepubads.g.doubleclick.net/pcs/view?gpp=${gpp}&gpp_sid=8`;
new Image().src = `http://static.criteo.net/js/ld/publishertag.js?gpp=${gpp}&gpp_sid=8`;
