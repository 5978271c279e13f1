"""Checks on the opt-out as a visitor meets it: the banner, the opt-out link's target, the controls, the flow.

They read the consent evidence of the visits (the banner, the "Do Not Sell" link's target, the step log, the
controls before and after, the reloaded homepage) and never touch a browser.
"""
