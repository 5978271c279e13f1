// Riverbend's CMP, loaded late: the IAB reference GPP CMP API replays the stub's queue, then signals ready.
import { CmpApi } from "/vendor/iabgpp-cmpapi/index.js";

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
