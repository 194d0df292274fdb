"""HSEEP core capabilities: what an MSEL inject tests.

The 32 core capabilities of the US National Preparedness Goal (FEMA, 2nd ed.,
September 2015), the list HSEEP (2020) exercise objectives are tied to. An
MSEL inject names the one it tests (`capability:`), and the after-action
report rates each capability exercised P/S/M/U from the expected actions
tied to it.
"""

from __future__ import annotations

CORE_CAPABILITIES: tuple[str, ...] = (
    "Planning",
    "Public Information and Warning",
    "Operational Coordination",
    "Forensics and Attribution",
    "Intelligence and Information Sharing",
    "Interdiction and Disruption",
    "Screening, Search, and Detection",
    "Access Control and Identity Verification",
    "Cybersecurity",
    "Physical Protective Measures",
    "Risk Management for Protection Programs and Activities",
    "Supply Chain Integrity and Security",
    "Community Resilience",
    "Long-term Vulnerability Reduction",
    "Risk and Disaster Resilience Assessment",
    "Threats and Hazards Identification",
    "Critical Transportation",
    "Environmental Response/Health and Safety",
    "Fatality Management Services",
    "Fire Management and Suppression",
    "Infrastructure Systems",
    "Logistics and Supply Chain Management",
    "Mass Care Services",
    "Mass Search and Rescue Operations",
    "On-scene Security, Protection, and Law Enforcement",
    "Operational Communications",
    "Public Health, Healthcare, and Emergency Medical Services",
    "Situational Assessment",
    "Economic Recovery",
    "Health and Social Services",
    "Housing",
    "Natural and Cultural Resources",
)
