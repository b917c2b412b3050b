"""The curation area's URLs for tests/test_methods.py: /cm/curation/… and /announcements/…"""

PAGES = {"cm:curation"}
FORMS = {"cm:curation_feature_new", "cm:curation_announcement_new", "cm:curation_announcement_edit"}
ACTIONS = {"cm:curation_feature_move", "cm:curation_feature_end", "cm:curation_feature_remove",
           "cm:curation_announcement_end", "announcements:dismiss"}


def extend(world):
    """A feature of the world's topic and a sponsored announcement, both current."""
    from cm.curation import services

    feature = services.add_feature(actor=world["cm"], kind="forums.topic", text=str(world["topic"].pk))
    announcement = services.save_announcement(actor=world["cm"], title="Spring sale", body="20 % off.",
                                              kind="sponsored", sponsor_name="Atelier Rayon")
    return {"feature": feature, "announcement": announcement,
            "samples": {"feature_id": feature.pk, "announcement_id": announcement.pk}}
