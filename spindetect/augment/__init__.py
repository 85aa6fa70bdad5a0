"""Labelled training data made from originals: the spinner (``spin``, with its word and phrase swaps in
``words`` and their source in ``thesaurus``) and the copy editor (``edit``), both built on the edit
machinery in ``proposals``. Import the module you need: this package imports nothing itself.
"""
