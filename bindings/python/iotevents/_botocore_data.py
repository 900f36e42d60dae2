"""botocore's data for iotevents and iotevents-data, shipped in the package, made known to every
botocore loader (botocore dropped both services in 1.43.38). Part of iotevents.boto3."""
import functools
import json
import os
import warnings
from typing import Any, Dict

_PACKAGED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botocore-data")
# Run from the source tree (PYTHONPATH=bindings/python): the repository's one copy.
_IN_TREE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "..", "..", "..", "models", "botocore-data"))


def data_path() -> str:
    """The folder holding botocore's data for iotevents and iotevents-data, laid out as a
    botocore data path: give it to AWS_DATA_PATH for programs that do not import this module
    (the AWS CLI, another process). Raises FileNotFoundError when the package lacks it."""
    for candidate in (_PACKAGED, _IN_TREE):
        if os.path.isfile(os.path.join(candidate, "iotevents-data", "2018-10-23", "service-2.json")):
            return candidate
    raise FileNotFoundError("iotevents: the botocore data folder is missing from the package (%s)" % _PACKAGED)


SERVICES = {"iotevents": "2018-07-27", "iotevents-data": "2018-10-23"}


@functools.lru_cache(maxsize=None)
def service_model(service: str) -> Dict[str, Any]:
    """botocore's service model (service-2.json) of "iotevents" or "iotevents-data", read once
    per process (the importer and the AWS-CLI subcommands share it)."""
    with open(os.path.join(data_path(), service, SERVICES[service], "service-2.json"), encoding="utf-8") as f:
        model: Dict[str, Any] = json.load(f)
    return model


def _add_search_path(loader: Any, path: str) -> None:
    """Appends `path` to a botocore Loader's search paths, as boto3 appends its own data folder.
    Only a loader that searches botocore's built-in data gets it (one made with
    include_default_search_paths=False asked for exactly its own paths)."""
    paths = loader.search_paths
    if path in paths or getattr(loader, "BUILTIN_DATA_PATH", None) not in paths:
        return
    paths.append(path)
    cache = getattr(loader, "_cache", None)  # list_available_services() may have run already
    if isinstance(cache, dict):
        cache.clear()


def _register_data_path() -> None:
    from botocore import loaders
    try:
        path = data_path()
    except FileNotFoundError as error:
        warnings.warn(str(error) + "; boto3.client('iotevents') needs botocore <= 1.43.37")
        return
    original = loaders.Loader.__init__
    if getattr(original, "_iotevents_data_path", None) is not None:
        return

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        _add_search_path(self, path)

    __init__._iotevents_data_path = path
    loaders.Loader.__init__ = __init__

    # A loader made before this import (boto3's default session, a botocore session already
    # used) gets the folder when it next lists services, which is what load_service_model asks
    # first for every model it loads; _add_search_path clears the list it may have cached.
    listing = loaders.Loader.list_available_services

    @functools.wraps(listing)
    def list_available_services(self, type_name):
        _add_search_path(self, path)
        return listing(self, type_name)

    loaders.Loader.list_available_services = list_available_services
