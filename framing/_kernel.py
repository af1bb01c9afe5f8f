"""The kernel manager used to run report notebooks: Curve-encrypted ZMQ transport where the kernel offers it.

ipykernel >= 7.3 warns on every start when its ZMQ sockets run over TCP without encryption; asking the
manager to provision CurveZMQ keys ("auto": when the kernelspec declares support) removes both the
plain-text transport and the warning.
"""

from jupyter_client.manager import AsyncKernelManager


class EncryptedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager that provisions CurveZMQ keys when the kernel supports them."""

    transport_encryption = "auto"
