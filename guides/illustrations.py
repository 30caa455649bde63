"""The shipped set of illustrations (files under static/guides/illustrations/)."""

ILLUSTRATION_CHOICES = [
    (
        "Steps",
        [
            ("steps/talk-to-a-professional.svg", "Talking with a professional"),
            ("steps/warm-up.svg", "Walking to warm up"),
            ("steps/comfortable-position.svg", "Lying on the back, knees bent"),
            ("steps/engage-your-core.svg", "Hand on belly, core gently on"),
            ("steps/gentle-pressure.svg", "Gentle pressure beside the spine"),
            ("steps/release-slowly.svg", "Relaxing and breathing out"),
            ("steps/build-up.svg", "Walking up steps, a little at a time"),
            ("steps/listen-to-your-body.svg", "Stopped and resting on the side"),
            ("steps/get-help.svg", "Getting help on the phone"),
        ],
    ),
    (
        "Warm-ups",
        [
            ("warmups/walking.svg", "Walking"),
            ("warmups/marching-in-place.svg", "Marching in place"),
            ("warmups/pelvic-tilt.svg", "Pelvic tilt"),
            ("warmups/cat-cow.svg", "Cat-cow"),
            ("warmups/kneeling-hip-flexor-stretch.svg", "Kneeling hip flexor stretch"),
            ("warmups/standing-quad-stretch.svg", "Standing quad stretch"),
        ],
    ),
    (
        "Positions",
        [
            ("positions/back-knees-bent.svg", "On the back, knees bent"),
            ("positions/side-pillow.svg", "On the side, pillow between knees"),
            ("positions/all-fours.svg", "On all fours"),
            ("positions/standing-wall.svg", "Standing against a wall"),
        ],
    ),
]


def illustration_paths():
    return [path for _group, choices in ILLUSTRATION_CHOICES for path, _label in choices]
